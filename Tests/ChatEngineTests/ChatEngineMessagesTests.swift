import ChatEngine
import ChatIdentity
import Foundation
import Testing
import TestSupport

@Suite("ChatEngine: messages")
struct ChatEngineMessagesTests {
    @Test("30 messages sent at once arrive in the order they were sent, each shown once; replies come back in order")
    func manyMessagesBothWays() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(alice, bob)

            let texts = (1...30).map { "message number \($0)" }
            let sent = try await withThrowingTaskGroup(of: (id: String, delivery: ChatEngine.Delivery).self) { group in
                for text in texts {
                    group.addTask { try await alice.engine.send(text, to: "bob") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(sent.allSatisfy { $0.delivery == .delivered }, "\(sent.filter { $0.delivery != .delivered }.count) not acknowledged")
            #expect(Set(sent.map(\.id)).count == 30)

            // The order alice wrote them in is the order her history shows.
            let sendOrder = try await alice.engine.history(with: "bob", limit: 100)
            #expect(Set(sendOrder.map(\.body)) == Set(texts))
            #expect(sendOrder.allSatisfy { $0.direction == .outgoing && $0.delivery == .delivered })

            for message in sendOrder {
                let id = message.id
                #expect(await bob.events.first { $0.message?.id == id } != nil, "bob never saw '\(message.body)'")
            }
            #expect(try await bob.bodies(with: "alice") == sendOrder.map(\.body))
            let shown = await bob.events.all.compactMap(\.message)
            #expect(shown.map(\.body) == sendOrder.map(\.body), "each message shown once, in order")
            #expect(shown.allSatisfy { $0.sender == "alice" && $0.recipient == "bob" && $0.direction == .incoming })

            // Replies, one after the other.
            let replies = (1...10).map { "reply \($0)" }
            for reply in replies {
                #expect(try await bob.engine.send(reply, to: "alice").delivery == .delivered)
            }
            for reply in replies {
                #expect(await alice.events.first { $0.message?.body == reply } != nil, "alice never saw '\(reply)'")
            }
            #expect(await alice.events.all.compactMap(\.message).map(\.body) == replies)
            #expect(try await alice.engine.friends().first?.unread == 10)
            let history = try await alice.bodies(with: "bob")
            #expect(history == sendOrder.map(\.body) + replies)
            #expect(try await alice.engine.friends().first?.unread == 0, "reading the history marks it read")
        }
    }

    @Test("both write first at the same moment, with no connection open yet")
    func bothWriteAtOnce() async throws {
        try await TestNetwork.run { network in
            let firstAlice = try await network.user("alice")
            let firstBob = try await network.user("bob")
            try await befriend(firstAlice, firstBob)
            // New engines: no peer connection survives, so both dial at once.
            let alice = try await network.restart(firstAlice)
            let bob = try await network.restart(firstBob)
            #expect(await eventually { (try? await alice.engine.friends().first?.online) == true })
            #expect(await eventually { (try? await bob.engine.friends().first?.online) == true })

            async let fromAlice = alice.engine.send("hello from alice", to: "bob")
            async let fromBob = bob.engine.send("hello from bob", to: "alice")
            let (a, b) = try await (fromAlice, fromBob)
            // Acknowledged now, or queued and retried: either way each arrives exactly once.
            #expect(await bob.events.first { $0.message?.id == a.id } != nil)
            #expect(await alice.events.first { $0.message?.id == b.id } != nil)
            #expect(await eventually { (try? await alice.engine.queuedCount()) == 0 })
            #expect(await eventually { (try? await bob.engine.queuedCount()) == 0 })
            #expect(Set(try await bob.bodies(with: "alice")) == ["hello from alice", "hello from bob"])
            #expect(Set(try await alice.bodies(with: "bob")) == ["hello from alice", "hello from bob"])
            #expect(await bob.events.all.compactMap(\.message).map(\.body) == ["hello from alice"])
            #expect(await alice.events.all.compactMap(\.message).map(\.body) == ["hello from bob"])
            #expect(a.delivery == .delivered)
            #expect(b.delivery == .delivered)
        }
    }

    @Test("what cannot be sent is refused before it is stored")
    func refusedMessages() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(alice, bob)
            await #expect(throws: MessageError.empty) { try await alice.engine.send("", to: "bob") }
            let tooLong = String(repeating: "x", count: 64 * 1024 + 1)
            await #expect(throws: MessageError.tooLong(64 * 1024)) { try await alice.engine.send(tooLong, to: "bob") }
            await #expect(throws: FriendError.notFriend("carol")) { try await alice.engine.send("hi", to: "carol") }
            #expect(try await alice.engine.history(with: "bob").isEmpty)
            #expect(try await alice.engine.queuedCount() == 0)
        }
    }
}
