extension LineEditor {
    /// What the user did at the prompt.
    public enum Input: Sendable, Equatable {
        /// A line entered with Return, without the line terminator; it is not added to history.
        case line(String)
        /// Ctrl-D on an empty line, or the terminal went away.
        case endOfInput
        /// Ctrl-C on an empty line (Ctrl-C on a non-empty line just clears it).
        case interrupt
    }
}
