import Foundation

extension Date {
    /// The largest magnitude we store: ±2^53 ms is exactly representable as a
    /// `Double`, and is far beyond any clock a peer could honestly report.
    private static let unixMillisecondsLimit: Int64 = 1 << 53

    /// Milliseconds since 1970-01-01 UTC, the store's single time format.
    ///
    /// Rounded to the nearest millisecond (not down: `ms / 1000 * 1000` is not
    /// always exactly `ms` in floating point, and flooring would then drift by
    /// one on every round trip), and clamped, so that an absurd `Time` from a
    /// peer can never trap on the conversion to `Int64`.
    var unixMilliseconds: Int64 {
        let milliseconds = (timeIntervalSince1970 * 1000).rounded()
        guard milliseconds.isFinite else { return 0 }
        let limit = Double(Self.unixMillisecondsLimit)
        return Int64(min(max(milliseconds, -limit), limit))
    }

    init(unixMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(unixMilliseconds) / 1000)
    }

    /// This date at the store's precision, so that a value compares equal
    /// before and after a round trip through the database.
    var truncatedToMilliseconds: Date {
        Date(unixMilliseconds: unixMilliseconds)
    }
}
