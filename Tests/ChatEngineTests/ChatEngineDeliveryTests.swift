import ChatEngine
import ChatIdentity
import ChatWire
import Foundation
import Testing
import TestSupport

@Suite("ChatEngine: delivery that is never lost")
struct ChatEngineDeliveryTests {
    @Test("messages to an offline friend are queued and delivered once, in order, when the friend logs in")
    func queuedUntilFriendLogsIn() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(alice, bob)
            await bob.engine.logout()
            #expect(await alice.events.first { $0.isPresence("bob", online: false) } != nil)

            let texts = ["while you were out", "second", "third"]
            var sent: [String] = []
            for text in texts {
                let result = try await alice.engine.send(text, to: "bob")
                #expect(result.delivery == .queued)
                sent.append(result.id)
            }
            #expect(try await alice.engine.queuedCount() == 3)
            #expect(try await alice.engine.history(with: "bob").map(\.delivery) == [.queued, .queued, .queued])

            try await bob.login()
            for (id, text) in zip(sent, texts) {
                #expect(await bob.events.first { $0.message?.id == id } != nil, "bob never saw '\(text)'")
                #expect(await alice.events.first { $0 == .messaging(.delivered(to: "bob", id: id)) } != nil)
            }
            #expect(await eventually { (try? await alice.engine.queuedCount()) == 0 })
            #expect(try await alice.engine.history(with: "bob").map(\.delivery) == [.delivered, .delivered, .delivered])

            // One more message goes through the same connection: by then any duplicate would be in.
            let after = try await alice.engine.send("welcome back", to: "bob")
            #expect(after.delivery == .delivered)
            #expect(await bob.events.first { $0.message?.id == after.id } != nil)
            #expect(try await bob.bodies(with: "alice") == texts + ["welcome back"])
            #expect(await bob.events.all.compactMap(\.message).map(\.body) == texts + ["welcome back"])
            for id in sent {
                #expect(await alice.events.count { $0 == .messaging(.delivered(to: "bob", id: id)) } == 1, "each queued message is reported delivered once")
            }
        }
    }

    @Test("a queued message survives a restart of its sender")
    func queuedSurvivesSenderRestart() async throws {
        try await TestNetwork.run { network in
            let firstAlice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(firstAlice, bob)
            await bob.engine.logout()

            let sent = try await firstAlice.engine.send("written before a restart", to: "bob")
            #expect(sent.delivery == .queued)
            let alice = try await network.restart(firstAlice)
            #expect(try await alice.engine.queuedCount() == 1, "the outbox is on disk")

            try await bob.login()
            let received = await bob.events.first { $0.message?.id == sent.id }
            #expect(received?.message?.body == "written before a restart")
            #expect(received?.message?.sender == "alice")
            #expect(await alice.events.first { $0 == .messaging(.delivered(to: "bob", id: sent.id)) } != nil)
            #expect(await eventually { (try? await alice.engine.queuedCount()) == 0 })
            #expect(try await alice.engine.history(with: "bob").map(\.delivery) == [.delivered])

            let after = try await alice.engine.send("and after it", to: "bob")
            #expect(await bob.events.first { $0.message?.id == after.id } != nil)
            #expect(try await bob.bodies(with: "alice") == ["written before a restart", "and after it"])
        }
    }

    @Test("a queued message is delivered when the sender restarts while the friend is already back")
    func senderRestartsAfterFriendReturns() async throws {
        try await TestNetwork.run { network in
            let firstAlice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(firstAlice, bob)
            await bob.engine.logout()
            let sent = try await firstAlice.engine.send("queued, then closed", to: "bob")
            #expect(sent.delivery == .queued)
            await firstAlice.engine.close()

            try await bob.login()
            let alice = try await network.user("alice")
            #expect(await bob.events.first { $0.message?.id == sent.id } != nil)
            #expect(await eventually { (try? await alice.engine.queuedCount()) == 0 })
            #expect(await bob.events.count { $0.message != nil } == 1)
        }
    }

    @Test("a receiver that restarts after storing a message shows it once, even when it comes again")
    func noDuplicateAfterReceiverRestart() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let firstBob = try await network.user("bob")
            try await befriend(alice, firstBob)
            let sent = try await alice.engine.send("only once, please", to: "bob")
            #expect(sent.delivery == .delivered)
            #expect(await firstBob.events.first { $0.message?.id == sent.id } != nil)

            let bob = try await network.restart(firstBob)
            #expect(try await bob.bodies(with: "alice") == ["only once, please"])

            // alice's Ack was lost (say she crashed before storing it): her engine sends the message
            // again, same Id. Played by hand with alice's own identity.
            await alice.engine.close()
            let identity = try Identity.loadOrCreate(at: alice.dataDirectory.appendingPathComponent("identity.pem"), commonName: "alice")
            #expect(identity.fingerprint == alice.engine.fingerprint)
            let (replay, hello) = try await RawPeer.connect(as: "alice", identity: identity, to: bob)
            try #require(hello != nil, "bob refused alice's own certificate")
            try replay.send(Envelope(type: .message, source: "alice", target: "bob", time: Date(), id: sent.id, data: "only once, please"))
            let ack = await replay.received.first { $0.type == .ack && $0.data == sent.id }
            #expect(ack != nil, "a duplicate is acknowledged again, so the sender can let it go")

            // And a new message on the same connection is shown: the replay path itself works.
            let fresh = Envelope(type: .message, source: "alice", target: "bob", data: "this one is new")
            try replay.send(fresh)
            #expect(await bob.events.first { $0.message?.id == fresh.id } != nil)
            #expect(try await bob.bodies(with: "alice") == ["only once, please", "this one is new"])
            #expect(await bob.events.all.compactMap(\.message).map(\.body) == ["this one is new"])
            await replay.close()
        }
    }

    @Test("a locator restart is survived without the user doing anything")
    func locatorRestart() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(alice, bob)
            #expect(await eventually { (try? await alice.engine.friends().first?.online) == true })
            let aliceMark = await alice.events.mark()
            let bobMark = await bob.events.mark()
            let oldPort = network.locator.port

            try await network.restartLocator()
            #expect(network.locator.port == oldPort)
            #expect(await alice.events.first(after: aliceMark) { $0.isLocatorConnected == false } != nil)
            #expect(await alice.events.first(after: aliceMark) { $0.isLocatorConnected == true } != nil, "alice did not reconnect")
            #expect(await bob.events.first(after: bobMark) { $0.isLocatorConnected == true } != nil, "bob did not reconnect")
            #expect(await alice.engine.isLocatorConnected)
            #expect(await alice.engine.isLoggedIn)

            // Both advertised again: the new locator knows where bob is.
            let bobPort = await bob.engine.peerPort
            let found = try await eventually { try await alice.engine.query("bob")?.port == bobPort }
            #expect(found)
            #expect(try await alice.engine.query("bob")?.fingerprint == bob.engine.fingerprint.hex)
            #expect(await eventually { (try? await alice.engine.friends().first?.online) == true }, "bob's presence did not come back")

            let sent = try await alice.engine.send("after the locator restart", to: "bob")
            #expect(sent.delivery == .delivered)
            #expect(await bob.events.first { $0.message?.id == sent.id } != nil)

            // The watch was renewed: bob leaving and coming back is still seen, and he is reached anew.
            let mark = await alice.events.mark()
            await bob.engine.logout()
            #expect(await alice.events.first(after: mark) { $0.isPresence("bob", online: false) } != nil)
            try await bob.login()
            #expect(await alice.events.first(after: mark) { $0.isPresence("bob", online: true) } != nil)
            let again = try await alice.engine.send("and once more", to: "bob")
            #expect(again.delivery == .delivered)
            #expect(await bob.events.first { $0.message?.id == again.id } != nil)
        }
    }
}
