import ChatEngine
import Foundation
import Testing
import TestSupport

@Suite("ChatEngine")
struct ChatEngineTests {
    @Test("friend request, accept, and messages both ways")
    func befriendAndTalk() async throws {
        try await withTemporaryDirectory { root in
            let locator = try await TestSupport.TestLocator.start(in: root.appendingPathComponent("locator"))
            let alice = try TestUser("alice", locator: locator, root: root)
            let bob = try TestUser("bob", locator: locator, root: root)
            try await alice.engine.login(password: "alice-pw")
            try await bob.engine.login(password: "bob-pw")

            try await alice.engine.addFriend("bob")
            let request = await bob.events.first { if case .friendRequest(from: "alice", _) = $0 { true } else { false } }
            #expect(request != nil)
            try await bob.engine.acceptFriend("alice")
            let added = await alice.events.first { $0 == .friendAdded(id: "bob") }
            #expect(added != nil)

            let sent = try await alice.engine.send("hello bob", to: "bob")
            #expect(sent.delivery == .delivered)
            let received = await bob.events.first { if case .message(let m) = $0 { m.body == "hello bob" } else { false } }
            #expect(received != nil)
            let reply = try await bob.engine.send("hi alice", to: "alice")
            #expect(reply.delivery == .delivered)

            await alice.engine.close()
            await bob.engine.close()
            await locator.stop()
        }
    }
}
