/// What the groups part tells the user. `group` is always the shown `#name`.
public enum GroupEvent: Sendable, Equatable {
    /// This user is in a group new to them (made by them or by a friend).
    case created(group: String, owner: String, members: [String])
    case message(group: String, message: StoredMessage)
    /// A member changed the text of a group text of theirs; the text as it is now.
    case messageEdited(group: String, message: StoredMessage)
    /// A member deleted a group text of theirs.
    case messageDeleted(group: String, message: StoredMessage)
    case memberJoined(group: String, member: String)
    /// `member` left or was removed; when it is this user, the group is no longer theirs.
    case memberLeft(group: String, member: String)
    /// A newer version of a group's membership applies (after its joined and left events).
    case updated(group: String, owner: String, version: Int64)
}
