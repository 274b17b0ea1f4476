/// Decides when a transfer's progress is worth telling (at most twice a second) and how fast it goes.
struct ProgressMeter: Sendable {
    static let interval = Duration.milliseconds(500)

    private let started = ContinuousClock.now
    private let startBytes: Int64
    private var lastReport: ContinuousClock.Instant?

    init(startBytes: Int64) {
        self.startBytes = startBytes
    }

    /// Bytes per second since the start (of this connection's part of the transfer).
    func rate(at bytes: Int64, now: ContinuousClock.Instant = .now) -> Double {
        let elapsed = (now - started) / .seconds(1)
        return elapsed > 0 ? Double(bytes - startBytes) / elapsed : 0
    }

    /// The rate, when a report is due now; nil otherwise.
    mutating func report(at bytes: Int64) -> Double? {
        let now = ContinuousClock.now
        if let lastReport, now - lastReport < Self.interval { return nil }
        lastReport = now
        return rate(at: bytes, now: now)
    }
}
