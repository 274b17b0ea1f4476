/// What the messaging part tells the user.
public enum MessagingEvent: Sendable, Equatable {
    /// A message arrived (and is stored).
    case message(StoredMessage)
    /// A message of this user's was stored by its receiver.
    case delivered(to: String, id: String)
    /// A friend changed the text of a message of theirs; the message as it is now.
    case edited(StoredMessage)
    /// A friend deleted a message of theirs (its `body` is empty now).
    case deleted(StoredMessage)
}
