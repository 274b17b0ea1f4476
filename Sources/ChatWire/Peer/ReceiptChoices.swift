/// Which of read receipts and typing indicators a user shares, as the `Data` of a `Signals`
/// envelope: the names of those turned on, comma-separated (`receipts,typing`, `typing`, or empty).
public struct ReceiptChoices: Sendable, Hashable {
    public var receipts: Bool
    public var typing: Bool

    public init(receipts: Bool = false, typing: Bool = false) {
        self.receipts = receipts
        self.typing = typing
    }

    /// The choices a peer sent. Names this version does not know are ignored (a newer peer may
    /// share more); the envelope's validation has already bounded the text.
    public init(data: String?) {
        let names = Set((data ?? "").split(separator: ","))
        self.init(receipts: names.contains("receipts"), typing: names.contains("typing"))
    }

    /// The `Data` to send.
    public var data: String {
        [receipts ? "receipts" : nil, typing ? "typing" : nil].compactMap { $0 }.joined(separator: ",")
    }

    /// The longest `Data` accepted: room for a few more names than this version knows.
    public static let maxDataLength = 128

    /// Names of lowercase letters and `-`, comma-separated; empty for none.
    static func isValidData(_ data: String) -> Bool {
        guard data.utf8.count <= maxDataLength else { return false }
        guard !data.isEmpty else { return true }
        return data.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { name in
            !name.isEmpty && name.utf8.allSatisfy { (0x61...0x7A).contains($0) || $0 == 0x2D }
        }
    }
}
