import ArgumentParser

/// A size on the command line: a whole number of bytes, or with `K`, `M` or `G` (powers of 1024):
/// `0`, `4096`, `100M`, `2G`.
public struct ByteSize: ExpressibleByArgument, Sendable {
    public var bytes: Int64

    public init(bytes: Int64) {
        self.bytes = bytes
    }

    public init?(argument: String) {
        var digits = Substring(argument.uppercased())
        var multiplier: Int64 = 1
        if let last = digits.last, let power = ["K": 1, "M": 2, "G": 3, "T": 4][String(last)] {
            multiplier = Int64(1) << (10 * power)
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let value = Int64(digits), value >= 0 else { return nil }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return nil }
        self.bytes = bytes
    }

    public var defaultValueDescription: String {
        bytes % (1 << 20) == 0 && bytes > 0 ? "\(bytes >> 20)M" : "\(bytes)"
    }
}
