/// The `Data` of a `Typing` envelope.
public enum TypingState: String, Sendable, CaseIterable {
    /// Keys are being pressed in the query to the receiver; said again every few seconds while they are.
    case active
    /// The line was sent or cleared, or no key came for a while.
    case paused
}
