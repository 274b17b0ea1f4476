import Foundation

/// A friend request that has not been answered yet, in either direction.
/// Kept on disk so that it survives a restart of either side.
public struct FriendRequest: Sendable, Hashable {
    /// The other side of the request: who asked us, or whom we asked.
    public var peer: String
    public var direction: Direction
    /// The fingerprint the peer presented (incoming) or the locator published
    /// for it (outgoing); it becomes the pinned one when the request is accepted.
    /// Empty while the request is queued.
    public var fingerprint: String
    public var createdAt: Date
    /// An outgoing request stored while the peer was offline: it goes out (and learns the
    /// fingerprint to pin) when the peer is next seen online.
    public var isQueued: Bool

    public init(peer: String, direction: Direction, fingerprint: String, createdAt: Date = Date(), isQueued: Bool = false) {
        self.peer = peer
        self.direction = direction
        self.fingerprint = fingerprint
        self.isQueued = isQueued
        // The store keeps milliseconds; truncating here keeps a request equal to itself after a round trip.
        self.createdAt = createdAt.truncatedToMilliseconds
    }
}
