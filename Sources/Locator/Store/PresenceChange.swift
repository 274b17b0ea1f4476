import ChatWire

/// One user's presence as one replica changed it: online at `address`, or offline (`nil`).
struct PresenceChange: Sendable, Equatable {
    var user: String
    var address: PeerAddress?
    /// Read back from the shared log, this replica's own change: it tells this replica where its
    /// own change stands in the order of all of them.
    var isOwn = false
}
