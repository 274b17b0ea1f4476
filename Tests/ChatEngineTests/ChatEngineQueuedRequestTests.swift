import ChatEngine
import ChatIdentity
import ChatWire
import Foundation
import Testing

@Suite("ChatEngine: friend requests that wait for the peer, and presence said once")
struct ChatEngineQueuedRequestTests {
    @Test("/add to an offline user is queued, survives restarts of both, and goes out when they are online")
    func queuedRequestAcrossRestarts() async throws {
        try await TestNetwork.run { network in
            // bob has an account and an identity, but is offline when alice asks.
            let bobFirst = try await network.user("bob")
            let bobFingerprint = bobFirst.engine.fingerprint.hex
            await bobFirst.engine.close()

            let alice = try await network.user("alice")
            #expect(try await alice.engine.addFriend("bob") == .queued)
            let queued = try await alice.engine.requests().outgoing
            #expect(queued.map(\.peer) == ["bob"])
            #expect(queued.first?.isQueued == true)

            // Both restart; alice first, then bob comes online.
            let aliceAgain = try await network.restart(alice)
            #expect(try await aliceAgain.engine.requests().outgoing.map(\.peer) == ["bob"], "the queued request survives a restart")
            let bob = try await network.user("bob")

            let request = await bob.events.first { $0.friendRequestFrom == "alice" }
            try #require(request != nil, "bob never got the queued request")
            let sent = try await aliceAgain.engine.requests().outgoing
            #expect(sent.map(\.isQueued) == [false], "once sent, the request is no longer queued")
            #expect(sent.first?.fingerprint == bobFingerprint, "the fingerprint the locator publishes for bob is pinned")

            try await bob.engine.acceptFriend("alice")
            #expect(await aliceAgain.events.first { $0 == .friends(.added(id: "bob")) } != nil)
            #expect(try await aliceAgain.engine.friends().map(\.fingerprint) == [bobFingerprint])
            try await aliceAgain.engine.send("we made it", to: "bob")
            #expect(await bob.events.first { $0.message?.body == "we made it" } != nil)
        }
    }

    @Test("a queued request can be withdrawn with remove")
    func withdrawQueued() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            #expect(try await alice.engine.addFriend("carol") == .queued)
            try await alice.engine.removeFriend("carol")
            #expect(try await alice.engine.requests().outgoing.isEmpty)
            await #expect(throws: FriendError.notFriend("carol")) { try await alice.engine.removeFriend("carol") }
        }
    }

    @Test("each presence change of a friend is one event, also right after accepting")
    func presenceOnce() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(alice, bob)
            // Let any late duplicate arrive before counting.
            try await Task.sleep(for: .milliseconds(500))
            #expect(await bob.events.count { $0.isPresence("alice", online: true) } == 1)
            #expect(await alice.events.count { $0.isPresence("bob", online: true) } == 1)

            let mark = await alice.events.mark()
            await bob.engine.close()
            #expect(await alice.events.first(after: mark, within: .seconds(20)) { $0.isPresence("bob", online: false) } != nil)
            _ = try await network.user("bob")
            #expect(await alice.events.first(after: mark) { $0.isPresence("bob", online: true) } != nil)
            try await Task.sleep(for: .milliseconds(500))
            #expect(await alice.events.count(after: mark) { $0.isPresence("bob", online: false) } == 1)
            #expect(await alice.events.count(after: mark) { $0.isPresence("bob", online: true) } == 1)
        }
    }
}
