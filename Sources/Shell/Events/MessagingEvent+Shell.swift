import ChatEngine

/// Messages that arrive, acks of the user's own, and friends' edits and deletes.
extension MessagingEvent: ShellEvent {
    static let kinds: [OutputKind] = [.message, .delivered, .edited, .deleted]

    var shown: ShownEvent {
        switch self {
        case .message(let message):
            ShownEvent(.message, ShellOutput.fields(of: message), stamped: false) { $0.messageLines(message, live: true) }
        case .delivered(let to, let id):
            ShownEvent(.delivered, ["to": .string(to), "id": .string(id)]) { [$0.notice("delivered to \($0.nick(to))")] }
        case .edited(let message):
            ShownEvent(
                .edited,
                ["id": .string(message.id), "from": .string(message.sender), "to": .string(message.recipient), "text": .string(message.body)],
                stamped: false
            ) { $0.messageLines(message, live: true) }
        case .deleted(let message):
            ShownEvent(
                .deleted, ["id": .string(message.id), "from": .string(message.sender), "to": .string(message.recipient)],
                stamped: false
            ) { $0.messageLines(message, live: true) }
        }
    }
}

extension OutputKind {
    /// `time` is the sender's clock; `direction` is `incoming` or `outgoing`; `delivery` is `queued`
    /// or `delivered` for an outgoing message, `null` for an incoming one; `action` is true for `/me`;
    /// `number` is its number in the conversation (`null` where not known yet); `reply_to` the `id`
    /// it answers, or `null`; `edited`, `deleted` say whether its author changed it; `original` is
    /// the text before, kept only with keep-edits on.
    static let message = OutputKind("message", fields: messageFields)
    /// A message of yours was stored by its receiver.
    static let delivered = OutputKind("delivered", fields: ["to", "id"])
    /// A friend changed the text of their message `id`; `text` is the new one.
    static let edited = OutputKind("edited", fields: ["id", "from", "to", "text"])
    /// A friend deleted their message `id`.
    static let deleted = OutputKind("deleted", fields: ["id", "from", "to"])

    /// The fields of a message object, in `message` events and in `history` and `search` results.
    static let messageFields = [
        "id", "from", "to", "text", "time", "direction", "delivery", "action", "number", "reply_to", "edited", "deleted", "original",
    ]
}
