import ChatEngine
import Testing

extension EngineEvent {
    var groupMessage: (group: String, message: StoredMessage)? {
        if case .groups(.message(let group, let message)) = self { (group, message) } else { nil }
    }

    var groupCreated: String? {
        if case .groups(.created(let group, _, _)) = self { group } else { nil }
    }
}

/// alice, bob, carol and dave, where only alice is friends with everyone.
struct FourUsers {
    var alice: TestUser
    var bob: TestUser
    var carol: TestUser
    var dave: TestUser

    var all: [TestUser] { [alice, bob, carol, dave] }

    static func make(_ network: TestNetwork) async throws -> FourUsers {
        let users = FourUsers(
            alice: try await network.user("alice"), bob: try await network.user("bob"),
            carol: try await network.user("carol"), dave: try await network.user("dave"))
        for other in [users.bob, users.carol, users.dave] { try await befriend(users.alice, other) }
        return users
    }

    /// alice's group #team of all four, known to every member, then dave logged out.
    func makeTeamWithDaveOffline() async throws {
        try await alice.engine.createGroup("team", members: ["bob", "carol", "dave"])
        for user in all { #expect(await user.events.first { $0.groupCreated == "#team" } != nil) }
        await dave.engine.logout()
        #expect(await alice.events.first { $0.isPresence("dave", online: false) } != nil)
    }
}

/// Sends `text` from `sender` to `group` and waits until every one of `receivers` shows it.
func sendToGroup(_ text: String, from sender: TestUser, group: String, reaching receivers: [TestUser]) async throws {
    let sent = try await sender.engine.sendToGroup(text, group: group)
    for receiver in receivers {
        let seen = await receiver.events.first { $0.groupMessage?.message.id == sent.id }
        #expect(seen?.groupMessage?.message.body == text, "\(receiver.name) never saw '\(text)' from \(sender.name)")
        #expect(seen?.groupMessage?.message.sender == sender.name)
    }
}

/// The bodies of a group's history as `receiver` sees it, oldest first.
func groupBodies(_ user: TestUser, _ group: String) async throws -> [String] {
    try await user.engine.groupHistory(group, limit: 1000).map(\.body)
}
