extension LineEditor {
    /// What the user did at the prompt.
    public enum Input: Sendable, Equatable {
        /// A line entered with Return, without the line terminator; it is not added to history.
        case line(String)
        /// Ctrl-D on an empty line, or the terminal went away.
        case endOfInput
        /// Ctrl-C on an empty line (Ctrl-C on a non-empty line just clears it).
        case interrupt
        /// A key that changes the conversation; the line being typed stays.
        case conversationKey(ConversationKey)
        /// A paste of several lines (bracketed paste), not yet run: the program asks first. A paste of one line
        /// goes into the line being typed instead, and runs only with Return.
        case paste([String])
        /// The line being typed changed (a key, a cut, a line sent or cleared): its first few characters
        /// now (empty when it was sent or cleared). Never sent while a password or a Ctrl-R search is typed.
        case edited(String)
    }

    /// What Tab offers for the word before the cursor.
    public struct Completion: Sendable, Equatable {
        public enum Style: Sendable, Equatable {
            /// Complete as far as the candidates agree; list them when they agree no further (commands, paths).
            case commonPrefix
            /// Take the first candidate followed by `suffix`; Tab again replaces it with the next (ids in text).
            case cycle(suffix: String)
        }

        public var candidates: [String]
        public var style: Style

        public init(candidates: [String], style: Style = .commonPrefix) {
            self.candidates = candidates
            self.style = style
        }
    }
}
