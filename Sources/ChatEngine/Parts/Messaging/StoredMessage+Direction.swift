extension StoredMessage {
    /// Whether we received or sent the message. The raw values are what the database stores.
    public enum Direction: String, Sendable, Hashable, CaseIterable {
        case incoming
        case outgoing
    }
}
