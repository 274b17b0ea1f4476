/// What storing a received change did.
enum MessageChangeOutcome: Sendable, Equatable {
    /// The message is changed; it is what the user sees now.
    case applied(StoredMessage)
    /// Its message has not arrived yet: kept, and applied when it does.
    case pending
    /// Stored already (the sender did not get our `Ack`): nothing changes.
    case duplicate
    /// The message is someone else's, or of another conversation: refused, counted, not shown.
    case refused
}
