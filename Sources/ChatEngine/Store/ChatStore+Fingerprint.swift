import ChatIdentity

extension ChatStore {
    /// The fingerprint in canonical wire form (64 lowercase hex digits) before it is pinned;
    /// uppercase is accepted because humans copy fingerprints from other tools.
    static func validatedFingerprint(_ text: String) throws(ChatStore.Error) -> String {
        guard let fingerprint = ChatIdentity.Fingerprint(hex: text) else { throw .invalidFingerprint(text) }
        return fingerprint.hex
    }
}
