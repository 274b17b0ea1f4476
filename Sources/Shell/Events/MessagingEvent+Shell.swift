import ChatEngine

/// Messages that arrive, and acks of the user's own.
extension MessagingEvent: ShellEvent {
    static let kinds: [OutputKind] = [.message, .delivered]

    var shown: ShownEvent {
        switch self {
        case .message(let message):
            ShownEvent(.message, ShellOutput.fields(of: message), stamped: false) { $0.messageLines(message, live: true) }
        case .delivered(let to, let id):
            ShownEvent(.delivered, ["to": .string(to), "id": .string(id)]) { [$0.notice("delivered to \($0.nick(to))")] }
        }
    }
}

extension OutputKind {
    /// `time` is the sender's clock; `direction` is `incoming` or `outgoing`; `delivery` is `queued`
    /// or `delivered` for an outgoing message, `null` for an incoming one; `action` is true for `/me`.
    static let message = OutputKind("message", fields: messageFields)
    /// A message of yours was stored by its receiver.
    static let delivered = OutputKind("delivered", fields: ["to", "id"])

    /// The fields of a message object, in `message` events and in `history` and `search` results.
    static let messageFields = ["id", "from", "to", "text", "time", "direction", "delivery", "action"]
}
