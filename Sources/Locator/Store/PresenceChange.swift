import ChatWire

/// One user's presence as one replica changed it: online at `address`, or offline (`nil`).
struct PresenceChange: Sendable, Equatable {
    var user: String
    var address: PeerAddress?
    /// Read back from the shared log, this replica's own change: it tells this replica where its
    /// own change stands in the order of all of them.
    var isOwn = false
    /// This replica's user published again after it was swept as dead: it takes the user back
    /// only if no other replica holds her when the change is written (a login elsewhere meanwhile
    /// is newer, and wins).
    var isReturn = false
}
