import Foundation

/// A group as `/group list` and `/group info` show it.
public struct GroupSummary: Sendable, Hashable {
    public struct Member: Sendable, Hashable {
        public var id: String
        public var online: Bool
        /// Whether the member confirmed the group's current version (always true for this user).
        public var hasGroup: Bool
        /// How many of this user's texts to the group the member has not acked yet.
        public var waitingTexts = 0
    }

    public var id: String
    public var name: String
    /// `#name`, or `#name~3f2a` while another of the user's groups has the same name.
    public var shownName: String
    public var owner: String
    public var version: Int64
    /// In the order they joined.
    public var members: [Member]
    public var unread: Int
    /// When this user left the group or was taken out of it: then `members` are those of the
    /// version that took them out. Nil while they are in it.
    public var leftAt: Date? = nil
}
