/// A STUN message as it arrived: its meaning, and the MESSAGE-INTEGRITY it carried with the bytes
/// that MAC covers, so that whoever holds the key can check it.
public struct ReceivedStunMessage: Hashable, Sendable {
    public struct Integrity: Hashable, Sendable {
        /// The message before MESSAGE-INTEGRITY, its length field set to end after it.
        let coveredBytes: [UInt8]
        let mac: [UInt8]
    }

    public let message: StunMessage
    public let integrity: Integrity?

    public var hasIntegrity: Bool { integrity != nil }

    /// Whether the message carries MESSAGE-INTEGRITY and it matches the key behind `mac`. The
    /// comparison takes the same time wherever the bytes differ.
    public func isAuthentic(mac: StunMessage.MAC) -> Bool {
        guard let integrity else { return false }
        let expected = mac(integrity.coveredBytes)
        guard expected.count == integrity.mac.count else { return false }
        return zip(expected, integrity.mac).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
