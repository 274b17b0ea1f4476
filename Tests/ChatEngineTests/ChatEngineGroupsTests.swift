import ChatEngine
import ChatIdentity
import ChatWire
import Foundation
import Testing
import TestSupport

@Suite("ChatEngine: groups")
struct ChatEngineGroupsTests {
    @Test("four users where only alice is friends with everyone: every member reaches every other")
    func everyPairTalks() async throws {
        try await TestNetwork.run { network in
            let users = try await FourUsers.make(network)
            try await users.alice.engine.createGroup("team", members: ["bob", "carol", "dave"])
            for user in users.all {
                #expect(await user.events.first { $0.groupCreated == "#team" } != nil, "\(user.name) never got #team")
            }
            for sender in users.all {
                try await sendToGroup(
                    "hello from \(sender.name)", from: sender, group: "#team",
                    reaching: users.all.filter { $0.name != sender.name })
            }
            for user in users.all {
                #expect(Set(try await groupBodies(user, "#team")) == Set(users.all.map { "hello from \($0.name)" }))
            }
            // Delivered to all: nothing queued, every own message marked delivered.
            for user in users.all {
                #expect(await eventually { (try? await user.engine.queuedCount()) == 0 })
                let own = try await user.engine.groupHistory("#team").filter { $0.sender == user.name }
                #expect(own.map(\.delivery) == [.delivered])
            }
            let info = try await users.bob.engine.groupInfo("#team")
            #expect(info.owner == "alice")
            #expect(info.members.map(\.id) == ["alice", "bob", "carol", "dave"])
        }
    }

    @Test("a second group with the same members is refused, naming the first; two groups may share a name")
    func duplicatesAndSharedNames() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            let carol = try await network.user("carol")
            try await befriend(alice, bob)
            try await befriend(alice, carol)
            try await alice.engine.createGroup("team", members: ["bob"])
            await #expect(throws: GroupError.sameMembers(existing: "#team")) {
                try await alice.engine.createGroup("other", members: ["bob"])
            }
            let second = try await alice.engine.createGroup("team", members: ["bob", "carol"])
            let shown = try await alice.engine.groups().map(\.shownName)
            #expect(shown.count == 2)
            #expect(shown.allSatisfy { $0.hasPrefix("#team~") }, "two groups named team are told apart: \(shown)")
            #expect(second.shownName == "#team~" + second.id.prefix(4))
            await #expect(throws: GroupError.self) { try await alice.engine.sendToGroup("which?", group: "#team") }
            try await sendToGroup("to the second", from: alice, group: second.shownName, reaching: [bob, carol])
            // carol is in only one of them: for her it is plain #team.
            #expect(try await carol.engine.groups().map(\.shownName) == ["#team"])
            #expect(try await groupBodies(carol, "#team") == ["to the second"])
        }
    }

    @Test("a group frame from someone not in the group is dropped and not acknowledged")
    func forgedFrameDropped() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(alice, bob)
            let group = try await alice.engine.createGroup("team", members: ["bob"])
            #expect(await bob.events.first { $0.groupCreated == "#team" } != nil)

            let identity = try Identity.generate(commonName: "mallory")
            let presence = try await LocatorPresence.login("mallory", fingerprint: identity.fingerprint, at: network.locator)
            let (mallory, hello) = try await RawPeer.connect(as: "mallory", identity: identity, to: bob)
            try #require(hello != nil, "bob did not answer mallory's Hello")
            try mallory.send(Envelope(
                type: .group, source: "mallory", target: "bob", data: "forged",
                group: GroupHeader(id: group.id, sequence: 1)))
            // An announcement that would add mallory, in the group's name.
            try mallory.send(Envelope(
                type: .group, source: "mallory", target: "bob", data: "Group Update", groupName: "team",
                group: GroupHeader(
                    id: group.id, operation: .announce, version: 9, owner: "mallory",
                    members: [GroupMember(id: "mallory", fingerprint: identity.fingerprint.hex),
                              GroupMember(id: "bob", fingerprint: bob.engine.fingerprint.hex)])))
            try await sendToGroup("after the forgery", from: alice, group: "#team", reaching: [bob])
            #expect(try await groupBodies(bob, "#team") == ["after the forgery"])
            #expect(await mallory.received.count { $0.type == .ack } == 0)
            #expect(try await bob.engine.groupInfo("#team").members.map(\.id) == ["alice", "bob"])
            #expect(try await bob.engine.search("forged").isEmpty)
            await mallory.close()
            await presence.close()
        }
    }
}

@Suite("ChatEngine: group members' certificates")
struct ChatEngineGroupPinTests {
    @Test("someone calling in a member's name with another certificate is refused loudly and gets nothing")
    func impostorOfAMemberRefused() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            let carol = try await network.user("carol")
            try await befriend(alice, bob)
            try await befriend(alice, carol)
            try await alice.engine.createGroup("team", members: ["bob", "carol"])
            for user in [bob, carol] { #expect(await user.events.first { $0.groupCreated == "#team" } != nil) }
            try await sendToGroup("carol is real", from: bob, group: "#team", reaching: [carol])
            await carol.engine.close()

            // mallory has carol's password, not her key.
            let identity = try Identity.generate(commonName: "carol")
            let presence = try await LocatorPresence.login("carol", fingerprint: identity.fingerprint, at: network.locator)
            try await bob.engine.sendToGroup("not for mallory", group: "#team")

            // And calling bob in carol's name.
            let (mallory, hello) = try await RawPeer.connect(as: "carol", identity: identity, to: bob)
            #expect(hello == nil, "bob answered a caller with the wrong certificate for carol")
            #expect(await mallory.received.count { $0.type == .group } == 0)
            #expect(await bob.events.count { $0.securityWarning?.contains("carol presented a certificate that does not match the one listed for them in your group") ?? false } > 0)
            #expect(try await bob.engine.queuedCount() == 1, "the text waits for the real carol")
            await mallory.close()
            await presence.close()
        }
    }
}
