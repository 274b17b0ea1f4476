import Foundation

/// A text message as the local store keeps it, incoming or outgoing.
///
/// Named `StoredMessage` rather than `Message` so that it cannot clash with a
/// wire-level message type in a file that imports both `ChatEngine` and `ChatWire`.
public struct StoredMessage: Sendable, Hashable {
    /// The envelope's `Id`. Unique per sender: the store keys messages on (sender, id).
    public var id: String
    /// The conversation the message belongs to: the other peer of a one-to-one chat.
    public var conversation: String
    public var sender: String
    public var recipient: String
    public var body: String
    /// The sender's clock (the envelope's `Time`); peers' clocks can be wrong.
    public var sentAt: Date
    /// Our clock, when the message was stored; history is ordered by it, so it
    /// shows messages in the order this user saw or wrote them.
    public var storedAt: Date
    public var direction: Direction
    /// Outgoing messages only; `nil` for incoming ones.
    public var delivery: DeliveryState?
    /// Incoming messages only: whether the user has seen it. Outgoing messages are always read.
    public var isRead: Bool
    /// An action (`/me waves`) rather than something said; stored and searched like text.
    public var isAction: Bool
    /// A group text just sent: how many members had not acked it yet when the send returned. Not stored
    /// (0 for anything read from the store).
    public var waitingMembers = 0
    /// The message's number in its conversation, as `/history` shows it (1 for the first; stable);
    /// 0 where not known yet (a message just sent or received).
    public var number = 0
    /// The `Id` of the message this one answers, and how it is quoted (nil when it is not stored here).
    public var replyTo: String?
    public var quote: Quote?
    /// Its author changed the text since (`(edited)`), or deleted it (`[deleted]`, `body` empty).
    public var isEdited = false
    public var isDeleted = false
    /// The text before the first edit or the delete, kept only with `/set keep-edits on`.
    public var original: String?

    public init(
        id: String,
        conversation: String,
        sender: String,
        recipient: String,
        body: String,
        sentAt: Date,
        storedAt: Date,
        direction: Direction,
        delivery: DeliveryState?,
        isRead: Bool,
        isAction: Bool = false
    ) {
        self.id = id
        self.conversation = conversation
        self.sender = sender
        self.recipient = recipient
        self.body = body
        // Milliseconds are the store's precision; truncating here keeps a message equal to itself after a round trip.
        self.sentAt = sentAt.truncatedToMilliseconds
        self.storedAt = storedAt.truncatedToMilliseconds
        self.direction = direction
        self.delivery = delivery
        self.isRead = isRead
        self.isAction = isAction
    }

    /// A message received from `sender`, unread, in the one-to-one conversation with `sender`.
    public static func incoming(
        id: String,
        from sender: String,
        to recipient: String,
        body: String,
        sentAt: Date,
        storedAt: Date = Date(),
        isAction: Bool = false
    ) -> StoredMessage {
        StoredMessage(
            id: id, conversation: sender, sender: sender, recipient: recipient, body: body,
            sentAt: sentAt, storedAt: storedAt, direction: .incoming, delivery: nil, isRead: false, isAction: isAction
        )
    }

    /// A message we are sending to `recipient`, queued until the peer acknowledges it.
    public static func outgoing(
        id: String,
        from sender: String,
        to recipient: String,
        body: String,
        sentAt: Date = Date(),
        isAction: Bool = false
    ) -> StoredMessage {
        StoredMessage(
            id: id, conversation: recipient, sender: sender, recipient: recipient, body: body,
            sentAt: sentAt, storedAt: sentAt, direction: .outgoing, delivery: .queued, isRead: true, isAction: isAction
        )
    }
}
