import Foundation
import GRDB

extension StoredMessage {
    /// The columns `init(row:)` reads, qualified so that they can follow a join.
    static let selection = """
        messages.id, messages.conversation, messages.sender, messages.recipient, messages.body,
        messages.sent_at, messages.stored_at, messages.direction, messages.delivery, messages.is_read,
        messages.is_action
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
    }
}
