import Foundation

/// A frame waiting for the peer's `Ack`. It stays on disk until the ack
/// arrives, so that a restart of either side resends it.
public struct OutboxEntry: Sendable, Hashable {
    /// The envelope `Id` of the message this frame carries.
    public var messageId: String
    /// The peer that must acknowledge the frame.
    public var peer: String
    /// The encoded envelope, exactly as it goes on the wire; opaque to the store.
    public var payload: Data
    /// How many times the engine has tried to send it.
    public var attempts: Int
    public var createdAt: Date
    public var lastAttemptAt: Date?

    public init(messageId: String, peer: String, payload: Data, attempts: Int, createdAt: Date, lastAttemptAt: Date?) {
        self.messageId = messageId
        self.peer = peer
        self.payload = payload
        self.attempts = attempts
        self.createdAt = createdAt.truncatedToMilliseconds
        self.lastAttemptAt = lastAttemptAt?.truncatedToMilliseconds
    }
}
