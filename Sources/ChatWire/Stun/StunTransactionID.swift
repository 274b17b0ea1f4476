/// The 96-bit transaction id that pairs a STUN response with its request. A client draws it at
/// random (RFC 8489 §6: uniformly, from a cryptographically strong source) so that an off-path
/// attacker cannot guess it.
public struct StunTransactionID: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 12
    public let bytes: [UInt8]

    /// nil unless `bytes` holds exactly 12 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// A fresh random id (`SystemRandomNumberGenerator` reads the kernel's random source).
    public static func random() -> StunTransactionID {
        var generator = SystemRandomNumberGenerator()
        return StunTransactionID(bytes: (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) })!
    }

    public var description: String {
        bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
