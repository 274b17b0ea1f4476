import ChatEngine
import Foundation
import Testing
import TestSupport

@Suite("ChatEngine: groups with members offline")
struct ChatEngineGroupsOfflineTests {
    @Test("dave offline while three members send 20 texts, then everyone restarting: dave has all 20, once, in each sender's order")
    func offlineMemberGetsEverything() async throws {
        try await TestNetwork.run { network in
            let users = try await FourUsers.make(network)
            try await users.makeTeamWithDaveOffline()

            let senders = [users.alice, users.bob, users.carol]
            var sent: [String: [String]] = [:]
            for index in 0..<20 {
                let sender = senders[index % 3]
                let text = "\(sender.name) \(index)"
                try await sender.engine.sendToGroup(text, group: "#team")
                sent[sender.name, default: []].append(text)
            }

            var current = Dictionary(uniqueKeysWithValues: users.all.map { ($0.name, $0) })
            try await users.dave.login()
            // Everyone goes down and comes back at some random moment while the backlog flows.
            for name in ["alice", "bob", "carol", "dave"].shuffled() {
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...300)))
                current[name] = try await network.restart(try #require(current[name]))
            }
            let dave = try #require(current["dave"])
            let arrived = await eventually(within: .seconds(30)) {
                (try? await groupBodies(dave, "#team").count) ?? 0 >= 20
            }
            let bodies = try await groupBodies(dave, "#team")
            #expect(arrived, "dave has \(bodies.count) of 20")
            #expect(bodies.count == 20, "each text once")
            #expect(Set(bodies) == Set(sent.values.joined()))
            for sender in senders {
                #expect(bodies.filter { $0.hasPrefix(sender.name + " ") } == sent[sender.name], "\(sender.name)'s order")
            }
            for sender in senders {
                let user = try #require(current[sender.name])
                #expect(await eventually(within: .seconds(20)) { (try? await user.engine.queuedCount()) == 0 })
                #expect(try await user.engine.groupHistory("#team", limit: 100).filter { $0.sender == sender.name }
                    .allSatisfy { $0.delivery == .delivered }, "\(sender.name)'s texts are delivered to all")
            }
        }
    }

    @Test("invite, text, leave, kick and the owner leaving, each with a member offline who catches up")
    func membershipWithSomeoneOffline() async throws {
        try await TestNetwork.run { network in
            let users = try await FourUsers.make(network)
            let (alice, bob, carol, dave) = (users.alice, users.bob, users.carol, users.dave)
            try await alice.engine.createGroup("team", members: ["bob", "carol"])
            for user in [alice, bob, carol] { #expect(await user.events.first { $0.groupCreated == "#team" } != nil) }

            // carol offline: alice invites dave, who talks to bob (not his friend) and to carol later.
            await carol.engine.logout()
            try await alice.engine.inviteToGroup("#team", "dave")
            #expect(await dave.events.first { $0.groupCreated == "#team" } != nil)
            #expect(await bob.events.first { $0 == .groups(.memberJoined(group: "#team", member: "dave")) } != nil)
            try await sendToGroup("dave here", from: dave, group: "#team", reaching: [alice, bob])
            try await carol.login()
            #expect(await carol.events.first { $0 == .groups(.memberJoined(group: "#team", member: "dave")) } != nil)
            #expect(await carol.events.first { $0.groupMessage?.message.body == "dave here" } != nil)

            // bob offline: carol leaves; bob learns of it when back.
            await bob.engine.logout()
            try await carol.engine.leaveGroup("#team")
            #expect(await carol.events.first { $0 == .groups(.memberLeft(group: "#team", member: "carol")) } != nil)
            #expect(await dave.events.first { $0 == .groups(.memberLeft(group: "#team", member: "carol")) } != nil)
            try await bob.login()
            #expect(await bob.events.first { $0 == .groups(.memberLeft(group: "#team", member: "carol")) } != nil)
            #expect(try await carol.engine.groups().isEmpty)

            // dave offline: alice kicks bob, then alice (the owner) leaves: dave, the oldest left, owns it.
            await dave.engine.logout()
            try await alice.engine.kickFromGroup("#team", "bob")
            #expect(await bob.events.first { $0 == .groups(.memberLeft(group: "#team", member: "bob")) } != nil)
            try await alice.engine.leaveGroup("#team")
            try await dave.login()
            #expect(await dave.events.first { $0 == .groups(.memberLeft(group: "#team", member: "alice")) } != nil)
            #expect(await dave.events.first { $0 == .groups(.updated(group: "#team", owner: "dave", version: 5)) } != nil)
            let info = try await dave.engine.groupInfo("#team")
            #expect(info.owner == "dave")
            #expect(info.members.map(\.id) == ["dave"])
            #expect(try await bob.engine.groups().isEmpty)
            await #expect(throws: GroupError.self) { try await bob.engine.sendToGroup("still here?", group: "#team") }
        }
    }
}
