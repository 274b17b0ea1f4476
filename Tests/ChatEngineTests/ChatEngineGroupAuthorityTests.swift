import ChatIdentity
import ChatWire
import Foundation
import GRDB
import Testing
import TestSupport

@testable import ChatEngine

/// Only the owner changes a group: alice, a friend of bob and a member of dave's group, writes her
/// own announcements by hand (with her own key, as a modified client would) and bob must refuse
/// every one that is not dave's, or her own leave.
@Suite("ChatEngine: only the owner changes a group")
struct ChatEngineGroupAuthorityTests {
    /// alice's engine is closed and a hand-written peer takes her place, with her key, connected to bob.
    struct ForgingAlice {
        var peer: RawPeer
        var presence: LocatorPresence
        /// alice's own identity key, read from her data directory.
        var key: Identity { peer.identity }

        static func replacing(_ alice: TestUser, connectedTo bob: TestUser, network: TestNetwork) async throws -> ForgingAlice {
            await alice.engine.close()
            let identity = try Identity.loadOrCreate(at: alice.dataDirectory.appendingPathComponent("identity.pem"), commonName: "alice")
            try #require(identity.fingerprint == alice.engine.fingerprint, "not alice's own key")
            let presence = try await LocatorPresence.login("alice", fingerprint: identity.fingerprint, at: network.locator)
            let (peer, hello) = try await RawPeer.connect(as: "alice", identity: identity, to: bob)
            try #require(hello != nil, "bob did not answer alice's Hello")
            return ForgingAlice(peer: peer, presence: presence)
        }

        /// Announces `record` to bob as it is (signed or not).
        func announce(_ record: GroupRecord) throws {
            try peer.send(Envelope(
                type: .group, source: "alice", target: "bob", data: "Group Update", groupName: record.name,
                group: GroupHeader(
                    id: record.id, operation: .announce, version: record.version, owner: record.owner,
                    members: record.members, signature: record.signature)))
        }

        func close() async {
            await peer.close()
            await presence.close()
        }
    }

    @Test("a member's takeover is refused, in her name or the owner's; her own leave applies")
    func memberTakeoverRefused() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            let dave = try await network.user("dave")
            try await befriend(alice, bob)
            try await befriend(dave, alice)
            try await befriend(dave, bob)
            let summary = try await dave.engine.createGroup("team", members: ["alice", "bob"])
            for user in [alice, bob] { try #require(await user.events.first { $0.groupCreated == "#team" } != nil) }
            let forger = try await ForgingAlice.replacing(alice, connectedTo: bob, network: network)
            let aliceKey = forger.key

            let members = [
                GroupMember(id: "dave", fingerprint: dave.engine.fingerprint.hex),
                GroupMember(id: "alice", fingerprint: aliceKey.fingerprint.hex),
                GroupMember(id: "bob", fingerprint: bob.engine.fingerprint.hex),
            ]
            let version1 = GroupRecord(id: summary.id, name: "team", owner: "dave", version: 1, members: members)
            // Version 2 makes alice the owner and removes dave: signed by alice, then in dave's name with alice's key.
            let takeover = GroupRecord(id: summary.id, name: "team", owner: "alice", version: 2, members: Array(members.dropFirst()))
            try forger.announce(try takeover.signed(by: "alice", with: aliceKey))
            try forger.announce(try takeover.signed(by: "dave", with: aliceKey))
            // Unsigned, and with the signature of another version.
            try forger.announce(takeover)
            var stolen = takeover
            stolen.signature = try version1.signed(by: "dave", with: aliceKey).signature
            try forger.announce(stolen)
            // The one change alice may sign: her own leave. Handled after the forgeries (one connection, in order).
            let leave = version1.removing("alice")
            try forger.announce(try leave.signed(by: "alice", with: aliceKey))

            let left = await bob.events.first { $0 == .groups(.memberLeft(group: "#team", member: "alice")) }
            #expect(left != nil, "bob did not apply alice's signed leave")
            let info = try await bob.engine.groupInfo("#team")
            #expect(info.owner == "dave")
            #expect(info.version == 2)
            #expect(info.members.map(\.id) == ["dave", "bob"])
            #expect(await bob.events.count { if case .groups(.updated(_, let owner, _)) = $0 { owner != "dave" } else { false } } == 0)
            // bob answered each announcement with the version he has: never alice's.
            let haves = await forger.peer.received.all.filter { $0.group?.operation == .have }.compactMap(\.group?.version)
            #expect(haves.allSatisfy { $0 <= 2 })
            await forger.close()
        }
    }

    @Test("a group new to bob, relayed by a friend in a stranger's name, is refused unless its owner signed it")
    func forgedNewGroupRefused() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            let dave = try await network.user("dave")
            try await befriend(alice, bob)
            let forger = try await ForgingAlice.replacing(alice, connectedTo: bob, network: network)
            let aliceKey = forger.key
            let aliceMember = GroupMember(id: "alice", fingerprint: aliceKey.fingerprint.hex)
            let bobMember = GroupMember(id: "bob", fingerprint: bob.engine.fingerprint.hex)
            let newID = { (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined() }

            // "Owned by" dave, listed with alice's own key: the locator publishes another one for dave.
            let listedWithAlicesKey = GroupRecord(
                id: newID(), name: "daves", owner: "dave", version: 1,
                members: [GroupMember(id: "dave", fingerprint: aliceKey.fingerprint.hex), aliceMember, bobMember])
            try forger.announce(try listedWithAlicesKey.signed(by: "dave", with: aliceKey))
            // dave listed with his real fingerprint, but signed with alice's key.
            let realDave = GroupRecord(
                id: newID(), name: "daves", owner: "dave", version: 1,
                members: [GroupMember(id: "dave", fingerprint: dave.engine.fingerprint.hex), aliceMember, bobMember])
            try forger.announce(try realDave.signed(by: "dave", with: aliceKey))
            try forger.announce(try realDave.signed(by: "alice", with: aliceKey))
            // alice's own group, signed by her: the marker that bob handled everything before it.
            let own = GroupRecord(id: newID(), name: "alices", owner: "alice", version: 1, members: [aliceMember, bobMember])
            try forger.announce(try own.signed(by: "alice", with: aliceKey))

            #expect(await bob.events.first { $0.groupCreated == "#alices" } != nil, "bob refused alice's own group")
            #expect(try await bob.engine.groups().map(\.name) == ["alices"])
            #expect(await bob.events.count { $0.groupCreated == "#daves" } == 0)
            await forger.close()
        }
    }

    @Test("a group stored before announcements were signed carries over: its owner signs when it next announces")
    func unsignedGroupCarriesOver() async throws {
        try await TestNetwork.run { network in
            let dave = try await network.user("dave")
            var bob = try await network.user("bob")
            try await befriend(dave, bob)
            await bob.engine.close()
            let summary = try await dave.engine.createGroup("old", members: ["bob"])
            // As an older p2pchat stored it: no signature.
            try await dave.engine.store.write("forgetting signatures") { db in
                try db.execute(sql: "UPDATE groups SET signer = NULL, signer_key = NULL, signature = NULL")
            }
            #expect(try await dave.engine.store.group(id: summary.id)?.signature == nil)

            bob = try await network.user("bob")
            #expect(await bob.events.first(within: .seconds(20)) { $0.groupCreated == "#old" } != nil, "bob refused dave's group")
            let signed = try #require(try await dave.engine.store.group(id: summary.id)?.signature)
            #expect(signed.signer == "dave")
            #expect(try await bob.engine.store.group(id: summary.id)?.signature == signed)
        }
    }
}
