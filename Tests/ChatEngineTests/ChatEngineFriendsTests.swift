import ChatEngine
import ChatIdentity
import Foundation
import Testing
import TestSupport

@Suite("ChatEngine: friends")
struct ChatEngineFriendsTests {
    @Test("a request, then accept: both list each other, online, with the certificate they present")
    func requestThenAccept() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")

            try await alice.engine.addFriend("bob")
            let request = await bob.events.first { $0.friendRequestFrom == "alice" }
            #expect(request == .friends(.request(from: "alice", fingerprint: alice.engine.fingerprint.hex)))
            #expect(try await bob.engine.requests().incoming.map(\.peer) == ["alice"])
            #expect(try await alice.engine.requests().outgoing.map(\.peer) == ["bob"])
            #expect(try await alice.engine.friends().isEmpty, "a request is not a friendship yet")

            try await bob.engine.acceptFriend("alice")
            #expect(await bob.events.first { $0 == .friends(.added(id: "alice")) } != nil)
            #expect(await alice.events.first { $0 == .friends(.added(id: "bob")) } != nil)
            // Each is told the new friend is online (alice had followed bob silently since asking).
            #expect(await alice.events.first { $0.isPresence("bob", online: true) } != nil)
            #expect(await bob.events.first { $0.isPresence("alice", online: true) } != nil)

            let aliceSeesBob = await eventually {
                (try? await alice.engine.friends())?.map(\.summary) == ["bob \(bob.engine.fingerprint.hex) online"]
            }
            #expect(aliceSeesBob)
            #expect(try await alice.engine.friends().map(\.summary) == ["bob \(bob.engine.fingerprint.hex) online"])
            let bobSeesAlice = await eventually {
                (try? await bob.engine.friends())?.map(\.summary) == ["alice \(alice.engine.fingerprint.hex) online"]
            }
            #expect(bobSeesAlice)
            #expect(try await bob.engine.friends().map(\.summary) == ["alice \(alice.engine.fingerprint.hex) online"])

            let aliceRequests = try await alice.engine.requests()
            let bobRequests = try await bob.engine.requests()
            #expect(aliceRequests.incoming.isEmpty && aliceRequests.outgoing.isEmpty)
            #expect(bobRequests.incoming.isEmpty && bobRequests.outgoing.isEmpty)

            // Presence follows the friend: bob leaves, then comes back.
            await bob.engine.logout()
            #expect(await alice.events.first { $0.isPresence("bob", online: false) } != nil)
            #expect(try await alice.engine.friends().first?.online == false)
            let mark = await alice.events.mark()
            try await bob.login()
            #expect(await alice.events.first(after: mark) { $0.isPresence("bob", online: true) } != nil)
        }
    }

    @Test("a rejected request is deleted silently, and stays deleted")
    func rejectIsSilent() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let carol = try await network.user("carol")

            try await carol.engine.addFriend("alice")
            #expect(await alice.events.first { $0.friendRequestFrom == "carol" } != nil)
            let aliceMark = await alice.events.mark()
            let carolMark = await carol.events.mark()
            try await alice.engine.rejectFriend("carol")
            #expect(try await alice.engine.requests().incoming.isEmpty)

            // carol's engine retries unanswered requests every `retryInterval` (1 s here): give it a few rounds.
            let again = await alice.events.first(after: aliceMark, within: .seconds(3)) { $0.friendRequestFrom == "carol" }
            #expect(again == nil, "the rejected request came back")
            #expect(try await alice.engine.requests().incoming.isEmpty, "the rejected request came back")
            #expect(try await alice.engine.friends().isEmpty)

            let told = await carol.events.count(after: carolMark) { event in
                switch event {
                case .friends, .session(.error), .session(.securityWarning): true
                default: false
                }
            }
            #expect(told == 0, "the requester is not told of a rejection")
            #expect(try await carol.engine.friends().isEmpty)
            await #expect(throws: FriendError.noRequest("carol")) { try await alice.engine.rejectFriend("carol") }
        }
    }

    @Test("removing a friend removes the friendship on both sides")
    func removeOnBothSides() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(alice, bob)
            #expect(await bob.events.first { $0 == .friends(.added(id: "alice")) } != nil)

            try await alice.engine.removeFriend("bob")
            #expect(await bob.events.first { $0 == .friends(.removed(id: "alice")) } != nil)
            #expect(try await alice.engine.friends().isEmpty)
            #expect(try await bob.engine.friends().isEmpty)
            await #expect(throws: FriendError.notFriend("alice")) { try await bob.engine.send("still there?", to: "alice") }
            await #expect(throws: FriendError.notFriend("bob")) { try await alice.engine.send("bye", to: "bob") }
        }
    }

    @Test("mistakes are refused with a reason")
    func refusals() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            await #expect(throws: EngineError.yourself) { try await alice.engine.addFriend("alice") }
            await #expect(throws: EngineError.invalidUser("not a name")) { try await alice.engine.addFriend("not a name") }
            await #expect(throws: FriendError.noRequest("bob")) { try await alice.engine.acceptFriend("bob") }
            #expect(try await alice.engine.requests().outgoing.isEmpty, "nothing is remembered for a refused request")
        }
    }
}

extension ChatEngine.Friend {
    /// What `/friends` shows of a friend, for comparing whole lists.
    var summary: String { "\(id) \(fingerprint) \(online ? "online" : "offline")" }
}
