import ChatWire

/// A group as this user's store knows it: one version of its membership.
struct GroupRecord: Sendable, Hashable {
    var id: String
    var name: String
    /// Nil once the last member left.
    var owner: String?
    /// Grows by one with each change of membership; an announcement applies only when newer.
    var version: Int64
    /// In the order they joined: the oldest remaining member inherits the group from a leaving owner.
    var members: [GroupMember]
    /// The owner's (or a leaving member's) signature on this version; nil for versions stored
    /// before announcements were signed, until the owner signs its next announcement.
    var signature: GroupSignature? = nil

    /// The conversation (and recipient) of the group's messages in the store.
    var conversation: String { GroupRecord.conversation(of: id) }

    static func conversation(of id: String) -> String { "#" + id }

    var memberIDs: [String] { members.map(\.id) }

    func contains(_ user: String) -> Bool {
        members.contains { $0.id == user }
    }

    /// The next version without `user`; a leaving owner hands the group to the oldest remaining member.
    func removing(_ user: String) -> GroupRecord {
        var next = self
        next.members.removeAll { $0.id == user }
        if owner == user { next.owner = next.members.first?.id }
        next.version += 1
        next.signature = nil
        return next
    }

    func adding(_ member: GroupMember) -> GroupRecord {
        var next = self
        next.members.append(member)
        next.version += 1
        next.signature = nil
        return next
    }
}
