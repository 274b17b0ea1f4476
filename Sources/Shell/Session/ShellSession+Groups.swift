import ChatEngine

extension ShellSession {
    /// `/group ACTION ...`: each action checks its own arguments.
    func group(_ arguments: [String]) async throws {
        let engine = try requireEngine()
        let action = arguments[0]
        let rest = Array(arguments.dropFirst())
        func need(_ count: Int, _ usage: String) throws {
            guard count == -1 ? rest.count >= 2 : rest.count == count else { throw CommandFailure("usage: /group \(usage)") }
        }
        switch action {
        case "create":
            try need(-1, "create NAME ID...")
            let name = rest[0].hasPrefix("#") ? String(rest[0].dropFirst()) : rest[0]
            // The group_created event says it.
            _ = try await engine.createGroup(name, members: Array(rest.dropFirst()))
        case "list":
            try need(0, "list")
            show(.groups(try await engine.groups()))
        case "info":
            try need(1, "info #GROUP")
            show(.groupInfo(try await engine.groupInfo(rest[0])))
        case "invite":
            try need(2, "invite #GROUP ID")
            try await engine.inviteToGroup(rest[0], rest[1])
        case "kick":
            try need(2, "kick #GROUP ID")
            try await engine.kickFromGroup(rest[0], rest[1])
        case "leave":
            try need(1, "leave #GROUP")
            try await engine.leaveGroup(rest[0])
            let shown = rest[0].hasPrefix("#") ? rest[0] : "#" + rest[0]
            if conversation == shown { await setConversation(nil) }
        default:
            throw CommandFailure("usage: /group create|list|info|invite|leave|kick ...")
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
