import Foundation
import GRDB

extension StoredMessage {
    /// The columns `init(row:)` reads, qualified so that they can follow a join.
    static let selection = """
        messages.id, messages.conversation, messages.sender, messages.recipient, messages.body,
        messages.sent_at, messages.stored_at, messages.direction, messages.delivery, messages.is_read,
        messages.is_action, messages.number, messages.reply_to, messages.edited_at, messages.deleted_at,
        messages.original_body, replied.sender AS replied_sender, replied.body AS replied_body,
        replied.deleted_at AS replied_deleted_at
        """

    /// Joined after `messages` wherever ``selection`` is read: the message a reply answers, in the
    /// same conversation.
    static let repliedJoin = """
        LEFT JOIN messages AS replied
            ON replied.conversation = messages.conversation AND replied.id = messages.reply_to
        """

    /// Decodes a row selected with ``selection``.
    init(row: Row) throws {
        let direction = try row.decode(String.self, forColumn: "direction")
        guard let decodedDirection = Direction(rawValue: direction) else {
            throw ChatStore.Error.database(operation: "reading messages", reason: "unknown direction \(direction)")
        }
        let delivery = try row.decode(String?.self, forColumn: "delivery")
        var decodedDelivery: DeliveryState?
        if let delivery {
            guard let state = DeliveryState(rawValue: delivery) else {
                throw ChatStore.Error.database(operation: "reading messages", reason: "unknown delivery state \(delivery)")
            }
            decodedDelivery = state
        }
        self.init(
            id: try row.decode(String.self, forColumn: "id"),
            conversation: try row.decode(String.self, forColumn: "conversation"),
            sender: try row.decode(String.self, forColumn: "sender"),
            recipient: try row.decode(String.self, forColumn: "recipient"),
            body: try row.decode(String.self, forColumn: "body"),
            sentAt: Date(unixMilliseconds: try row.decode(Int64.self, forColumn: "sent_at")),
            storedAt: Date(unixMilliseconds: try row.decode(Int64.self, forColumn: "stored_at")),
            direction: decodedDirection,
            delivery: decodedDelivery,
            isRead: try row.decode(Bool.self, forColumn: "is_read"),
            isAction: try row.decode(Bool.self, forColumn: "is_action")
        )
        number = try row.decode(Int?.self, forColumn: "number") ?? 0
        replyTo = try row.decode(String?.self, forColumn: "reply_to")
        isEdited = try row.decode(Int64?.self, forColumn: "edited_at") != nil
        isDeleted = try row.decode(Int64?.self, forColumn: "deleted_at") != nil
        original = try row.decode(String?.self, forColumn: "original_body")
        if let sender = try row.decode(String?.self, forColumn: "replied_sender") {
            quote = Quote(
                sender: sender, body: try row.decode(String.self, forColumn: "replied_body"),
                isDeleted: try row.decode(Int64?.self, forColumn: "replied_deleted_at") != nil)
        }
    }
}
