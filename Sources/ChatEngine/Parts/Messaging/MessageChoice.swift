/// Which message of a conversation a change or a reply is about.
public enum MessageChoice: Sendable, Hashable {
    /// The user's own `n`-th newest message that is not deleted (1: the last), as `/edit [N]` says.
    case ownNthLast(Int)
    /// The message with this number, as `/history` shows it.
    case numbered(Int)
}
