/// What a `GROUP` envelope that is not group text does (`GroupOp`).
public enum GroupOperation: String, Sendable, Hashable, Codable {
    /// The group as the sender knows it: version, name, owner and members.
    case announce
    /// "I have this version of the group": answers an announcement, and asks for a newer one.
    case have
    /// Like `have`, and "your group text reached me before I could place it: send it again".
    case missing
}
