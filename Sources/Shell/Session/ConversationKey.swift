/// A key that changes the conversation (see ``KeyBinding``).
public enum ConversationKey: Sendable, Equatable {
    /// Alt-1..9: the n-th conversation (1-based) in `/friends` order.
    case number(Int)
    /// Alt-A: the conversation with the oldest unread message.
    case oldestUnread
    /// Ctrl-N.
    case next
    /// Ctrl-P.
    case previous
}
