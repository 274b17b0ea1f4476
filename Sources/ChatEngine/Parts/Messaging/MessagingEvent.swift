/// What the messaging part tells the user.
public enum MessagingEvent: Sendable, Equatable {
    /// A message arrived (and is stored).
    case message(StoredMessage)
    /// A message of this user's was stored by its receiver.
    case delivered(to: String, id: String)
}
