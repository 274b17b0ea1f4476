/// What the away part tells the user.
public enum AwayEvent: Sendable, Equatable {
    /// A friend went away (with their reason) or came back (`reason == nil`).
    case changed(user: String, reason: String?)
}
