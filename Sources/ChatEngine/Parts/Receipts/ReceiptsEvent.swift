/// What read receipts and typing indicators tell the user; only ever from a friend who shares
/// them with a user who shares them too.
public enum ReceiptsEvent: Sendable, Equatable {
    /// `user` has read this user's messages up to the one with `id` (and all before it).
    case read(by: String, upTo: String)
    /// `user` started typing in their query to this user (`active`), or stopped: they sent or
    /// cleared the line, paused for a few seconds, or went away.
    case typing(user: String, active: Bool)
}
