extension StoredMessage {
    /// Where an outgoing message is on its way to the peer. The raw values are
    /// what the database stores.
    public enum DeliveryState: String, Sendable, Hashable, CaseIterable {
        /// Written to the outbox; not yet acknowledged by the peer.
        case queued
        /// The peer has acknowledged it, i.e. the peer has stored it.
        case delivered
    }
}
