import ChatWire

extension ChatEngine {
    var groupsPart: GroupsPart { parts.part(GroupsPart.self) }

    /// Makes a group of this user and `members` (friends, at least one), named `name`; refused when
    /// another of the user's groups has exactly these members. Every member is told, now or when
    /// next online.
    @discardableResult
    public func createGroup(_ name: String, members: [String]) async throws -> GroupSummary {
        _ = try requireSession()
        guard GroupHeader.isValidName(name) else { throw GroupError.invalidName(name) }
        var unique: [String] = []
        for member in members where !unique.contains(member) {
            guard UserName.isValid(member) else { throw EngineError.invalidUser(member) }
            guard member != user else { continue }
            unique.append(member)
        }
        guard !unique.isEmpty else { throw GroupError.noMembers }
        guard unique.count < GroupHeader.maxMembers else { throw GroupError.tooManyMembers(GroupHeader.maxMembers) }
        let record = try await groupsPart.create(name: name, members: unique)
        return try await summary(of: record)
    }

    /// The user's groups, oldest first.
    public func groups() async throws -> [GroupSummary] {
        var summaries: [GroupSummary] = []
        for record in try await store.groups() where record.contains(user) {
            summaries.append(try await summary(of: record))
        }
        return summaries
    }

    /// A group of the user's, or one they left (its `leftAt` says when).
    public func groupInfo(_ name: String) async throws -> GroupSummary {
        do {
            return try await summary(of: try await resolveGroup(name))
        } catch GroupError.noSuchGroup(let shown) {
            let bare = shown.dropFirst()
            let name = bare.split(separator: "~", maxSplits: 1).first.map(String.init) ?? ""
            for record in try await store.groups().reversed() where record.name == name && !record.contains(user) {
                guard let leftAt = try await store.leftAt(group: record.id) else { continue }
                var left = try await summary(of: record)
                left.shownName = "#" + name
                left.leftAt = leftAt
                return left
            }
            throw GroupError.noSuchGroup(shown)
        }
    }

    /// Adds a friend to a group this user owns; every member learns of it.
    public func inviteToGroup(_ name: String, _ peer: String) async throws {
        _ = try requireSession()
        guard UserName.isValid(peer) else { throw EngineError.invalidUser(peer) }
        try await groupsPart.invite(peer, to: try await resolveGroup(name))
    }

    /// Takes a member out of a group this user owns; every member, and the one removed, learns of it.
    public func kickFromGroup(_ name: String, _ peer: String) async throws {
        _ = try requireSession()
        guard UserName.isValid(peer) else { throw EngineError.invalidUser(peer) }
        try await groupsPart.kick(peer, from: try await resolveGroup(name))
    }

    /// Leaves a group; an owner hands it to the oldest remaining member.
    public func leaveGroup(_ name: String) async throws {
        _ = try requireSession()
        try await groupsPart.leave(try await resolveGroup(name))
    }

    /// Sends `text` to every other member of a group; never lost, each member gets it once.
    @discardableResult
    public func sendToGroup(_ text: String, group name: String) async throws -> StoredMessage {
        _ = try requireSession()
        guard !text.isEmpty else { throw MessageError.empty }
        guard text.utf8.count <= Limits.maxMessageText else { throw MessageError.tooLong(Limits.maxMessageText) }
        return try await groupsPart.send(text, to: try await resolveGroup(name))
    }

    /// The last `limit` messages of a group, oldest first; marks them read. An outgoing message
    /// not yet acknowledged by every member is `.queued`.
    public func groupHistory(_ name: String, limit: Int = 20) async throws -> [StoredMessage] {
        let group = try await resolveGroup(name)
        await messaging.settleDeliveries()
        let messages = try await store.history(with: group.conversation, limit: limit)
        try await store.markRead(conversation: group.conversation)
        return messages
    }

    /// The shown `#name` of the group a stored message's conversation is (`#<id>`), or nil for a
    /// one-to-one conversation.
    public func groupName(ofConversation conversation: String) async throws -> String? {
        guard conversation.hasPrefix("#") else { return nil }
        return try await groupsPart.shownNames()[String(conversation.dropFirst())]
    }

    /// The group the user means by `#name`, `name` or `#name~3f2a` (a prefix of its id).
    func resolveGroup(_ text: String) async throws -> GroupRecord {
        let bare = text.hasPrefix("#") ? String(text.dropFirst()) : text
        let parts = bare.split(separator: "~", maxSplits: 1).map(String.init)
        let name = parts.first ?? ""
        let idPrefix = parts.count > 1 ? parts[1].lowercased() : ""
        let candidates = try await store.groups().filter {
            $0.contains(user) && $0.name == name && $0.id.hasPrefix(idPrefix)
        }
        guard let first = candidates.first else { throw GroupError.noSuchGroup("#" + bare) }
        guard candidates.count == 1 else {
            let names = try await groupsPart.shownNames()
            throw GroupError.ambiguous("#" + bare, candidates: candidates.compactMap { names[$0.id] })
        }
        return first
    }

    private func summary(of record: GroupRecord) async throws -> GroupSummary {
        let known = try await store.knownVersions(in: record.id)
        let unread = try await store.unreadCounts()[record.conversation] ?? 0
        await messaging.settleDeliveries()
        let waiting = try await store.unackedGroupTexts(in: record.id)
        let members = record.members.map { member in
            GroupSummary.Member(
                id: member.id, online: member.id == user || isOnline(member.id),
                hasGroup: member.id == user || (known[member.id] ?? 0) >= record.version,
                waitingTexts: waiting[member.id] ?? 0)
        }
        return GroupSummary(
            id: record.id, name: record.name, shownName: try await groupsPart.shownName(record),
            owner: record.owner ?? "", version: record.version, members: members, unread: unread)
    }
}
