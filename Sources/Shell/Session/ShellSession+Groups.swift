import ChatEngine

extension ShellSession {
    /// `/group ACTION ...`.
    func group(_ command: GroupCommand) async throws {
        let engine = try requireEngine()
        switch command {
        case .create(let name, let members):
            // The group_created event says it.
            _ = try await engine.createGroup(name, members: members)
        case .list:
            show(.groups(try await engine.groups()))
        case .info(let group):
            show(.groupInfo(try await engine.groupInfo(group)))
        case .invite(let group, let member):
            try await engine.inviteToGroup(group, member)
        case .kick(let group, let member):
            try await engine.kickFromGroup(group, member)
        case .leave(let group):
            try await engine.leaveGroup(group)
            let shown = group.hasPrefix("#") ? group : "#" + group
            if conversation == shown { await setConversation(nil) }
        }
        await refreshGroups()
    }

    /// Group messages as the user knows their group: `#team` rather than the stored `#<id>`.
    func shownInGroups(_ messages: [StoredMessage]) async throws -> [StoredMessage] {
        guard let engine else { return messages }
        var shown = messages
        for index in shown.indices {
            if let name = try await engine.groupName(ofConversation: shown[index].conversation) {
                shown[index].conversation = name
                shown[index].recipient = name
            }
        }
        return shown
    }

    func refreshGroups() async {
        guard let engine, let groups = try? await engine.groups() else { return }
        state.groups = groups.map(\.shownName)
        // The unread count of a group the user left (or was taken out of) goes at once.
        state.activity = state.activity.filter { !$0.key.hasPrefix("#") || state.groups.contains($0.key) }
        state.groupMembers = Dictionary(uniqueKeysWithValues: groups.map { ($0.shownName, $0.members.map(\.id)) })
        state.groupOwners = Dictionary(uniqueKeysWithValues: groups.map { ($0.shownName, $0.owner) })
    }
}
