/// What happened in a conversation since the user last looked at it, for the prompt (`+carol:3`).
public struct Activity: Sendable, Equatable {
    /// How much it matters; the prompt colours an entry by it.
    public enum Level: Int, Sendable, Comparable {
        /// A message to you.
        case message
        /// A message that mentions your id.
        case mention

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var unread: Int
    public var level: Level

    public init(unread: Int, level: Level) {
        self.unread = unread
        self.level = level
    }
}
