import ChatEngine
import ChatIdentity
import ChatWire
import Foundation
import Testing
import TestSupport

extension EngineEvent {
    var edited: StoredMessage? {
        if case .messaging(.edited(let message)) = self { message } else { nil }
    }

    var deleted: StoredMessage? {
        if case .messaging(.deleted(let message)) = self { message } else { nil }
    }

    var groupEdited: StoredMessage? {
        if case .groups(.messageEdited(_, let message)) = self { message } else { nil }
    }
}

@Suite("ChatEngine: edit, delete, reply")
struct ChatEngineMessageChangesTests {
    @Test("an edit, a reply and a delete reach a friend online, and both sides show them")
    func changesOnline() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(alice, bob)

            let sent = try await alice.engine.send("see you at ten", to: "bob").id
            #expect(await bob.events.first { $0.message?.id == sent } != nil)
            let edited = try await alice.engine.editMessage("see you at eleven", in: "bob")
            #expect(edited.id == sent && edited.body == "see you at eleven" && edited.isEdited)
            let seen = await bob.events.first { $0.edited != nil }?.edited
            #expect(seen?.id == sent && seen?.body == "see you at eleven")
            #expect(try await bob.engine.history(with: "alice").map(\.body) == ["see you at eleven"])
            #expect(try await bob.engine.search("ten").isEmpty, "the old text is gone from bob's search")

            let reply = try await bob.engine.reply(to: 1, in: "alice", text: "fine")
            #expect(reply.quote?.text == "see you at eleven" && reply.quote?.sender == "alice")
            let replyID = reply.id
            let replied = await alice.events.first { $0.message?.id == replyID }?.message
            #expect(replied?.replyTo == sent && replied?.quote?.text == "see you at eleven", "alice sees what it answers")

            try await alice.engine.deleteMessage(in: "bob")
            #expect(await bob.events.first { $0.deleted?.id == sent } != nil)
            let history = try await bob.engine.history(with: "alice")
            #expect(history.map(\.isDeleted) == [true, false] && history[0].body.isEmpty)
            #expect(history[1].quote?.isDeleted == true, "the reply's quote says its message is deleted")
            #expect(try await alice.engine.history(with: "bob").first?.isDeleted == true)
        }
    }

    @Test("bad input: nothing of yours to change, a number that does not exist, someone else's message, empty text")
    func badInput() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(alice, bob)
            await #expect(throws: MessageError.noneOfYours("bob")) { try await alice.engine.editMessage("x", in: "bob") }
            _ = try await bob.engine.send("hello", to: "alice")
            #expect(await alice.events.first { $0.message != nil } != nil)
            await #expect(throws: MessageError.noSuchMessage(999, "bob")) { try await alice.engine.reply(to: 999, in: "bob", text: "x") }
            await #expect(throws: MessageError.notYours(author: "bob")) {
                try await alice.engine.editMessage("x", in: "bob", .numbered(1))
            }
            await #expect(throws: MessageError.empty) { try await alice.engine.editMessage("", in: "bob") }
            _ = try await alice.engine.send("mine", to: "bob")
            await #expect(throws: MessageError.fewerOfYours(1, "bob")) { try await alice.engine.deleteMessage(in: "bob", .ownNthLast(2)) }
            await #expect(throws: FriendError.notFriend("carol")) { try await alice.engine.deleteMessage(in: "carol") }
        }
    }

    @Test("bob offline: alice's messages and their edits and delete reach him after both restart, once and in order")
    func offlineFriendAfterRestarts() async throws {
        try await TestNetwork.run { network in
            let firstAlice = try await network.user("alice")
            let firstBob = try await network.user("bob")
            try await befriend(firstAlice, firstBob)
            await firstBob.engine.logout()
            #expect(await firstAlice.events.first { $0 == .session(.presence(user: "bob", online: false)) } != nil)

            try await firstAlice.engine.send("first", to: "bob")
            try await firstAlice.engine.send("second", to: "bob")
            try await firstAlice.engine.editMessage("first, edited", in: "bob", .ownNthLast(2))
            try await firstAlice.engine.editMessage("first, edited again", in: "bob", .ownNthLast(2))
            try await firstAlice.engine.deleteMessage(in: "bob")
            #expect(try await firstAlice.engine.queuedCount() == 5)

            // Both come back with new engines on the same files, as after a crash.
            let alice = try await network.restart(firstAlice)
            let bob = try await network.restart(firstBob)
            #expect(await eventually(within: .seconds(20)) { (try? await alice.engine.queuedCount()) == 0 })
            // Delivered are the two messages; the acks of their edits and delete say nothing of their own.
            for id in try await alice.engine.history(with: "bob").map(\.id) {
                #expect(await alice.events.first { $0 == .messaging(.delivered(to: "bob", id: id)) } != nil)
            }
            let delivered = await alice.events.count {
                if case .messaging(.delivered) = $0 { true } else { false }
            }
            #expect(delivered == 2)
            let history = try await bob.engine.history(with: "alice")
            #expect(history.map(\.body) == ["first, edited again", ""])
            #expect(history.map(\.isEdited) == [true, false] && history.map(\.isDeleted) == [false, true])
            // Neither first text left alice's disk: the queued messages went with the last edit's
            // text, and with no text for the one deleted before it went.
            #expect(await bob.events.all.compactMap(\.message).map(\.body) == ["first, edited again", "[deleted]"])

            // Once: a third engine of bob's has the same, and nothing more is shown.
            let bobAgain = try await network.restart(bob)
            let again = try await bobAgain.engine.history(with: "alice")
            #expect(again.map(\.id) == history.map(\.id) && again.map(\.body) == history.map(\.body))
            #expect(again.map(\.isEdited) == [true, false] && again.map(\.isDeleted) == [false, true])
            #expect(try await bobAgain.engine.refusedChangeCount() == 0)
        }
    }

    @Test("a friend's edit or delete of someone else's message is refused, counted and not shown")
    func forgedChangeRefused() async throws {
        try await TestNetwork.run { network in
            let scene = try await ChatEngineHostilePeerTests.Scene.make(network)
            try await scene.befriendMallory()
            let alice = scene.alice
            let fromBob = try await scene.bob.engine.send("bob's words", to: "alice").id
            #expect(await alice.events.first { $0.message?.id == fromBob } != nil)
            let mine = try await alice.engine.send("alice's words", to: "mallory").id
            #expect(await scene.mallory.received.first { $0.id == mine } != nil)

            let mark = await alice.events.mark()
            try scene.mallory.send(Envelope(type: .edit, source: "mallory", target: "alice", data: "forged", ref: fromBob))
            try scene.mallory.send(Envelope(type: .delete, source: "mallory", target: "alice", ref: mine))
            // mallory's own message and its edit come after: once that edit shows, the forged ones were handled.
            let own = Envelope(type: .message, source: "mallory", target: "alice", data: "mallory's words")
            let ownID = own.id
            try scene.mallory.send(own)
            try scene.mallory.send(Envelope(type: .edit, source: "mallory", target: "alice", data: "mallory's, edited", ref: ownID))
            #expect(await alice.events.first(after: mark) { $0.edited?.id == ownID } != nil, "mallory's own edit applies")
            #expect(await alice.events.count(after: mark) { $0.edited?.sender == "bob" || $0.deleted != nil } == 0)
            #expect(try await alice.engine.history(with: "bob").map(\.body) == ["bob's words"])
            #expect(try await alice.engine.history(with: "mallory").map(\.body) == ["alice's words", "mallory's, edited"])
            #expect(try await alice.engine.refusedChangeCount() == 2)
            try await scene.bobStillGetsThrough("still here")
            await scene.close()
        }
    }

    @Test("a group text's edit and delete reach every member, one of them offline")
    func groupChanges() async throws {
        try await TestNetwork.run { network in
            let users = try await FourUsers.make(network)
            try await users.makeTeamWithDaveOffline()

            try await sendToGroup("meet at ten", from: users.alice, group: "#team", reaching: [users.bob, users.carol])
            try await sendToGroup("bring cake", from: users.alice, group: "#team", reaching: [users.bob, users.carol])
            try await users.alice.engine.editMessage("meet at eleven", in: "#team", .ownNthLast(2))
            for user in [users.bob, users.carol] {
                #expect(await user.events.first { $0.groupEdited?.body == "meet at eleven" } != nil, "\(user.name) saw the edit")
            }
            try await users.alice.engine.deleteMessage(in: "#team")
            let reply = try await users.bob.engine.reply(to: 1, in: "#team", text: "ok")
            #expect(reply.quote?.text == "meet at eleven")

            try await users.dave.login()
            // Each sender's order is kept; between alice's and bob's texts, dave's is the order they came in.
            let arrived = await eventually(within: .seconds(20)) {
                (try? await users.dave.engine.groupHistory("#team", limit: 10).map(\.body).sorted()) == ["", "meet at eleven", "ok"]
            }
            let history = try await users.dave.engine.groupHistory("#team", limit: 10)
            #expect(arrived, "dave has \(history.map(\.body))")
            let fromAlice = history.filter { $0.sender == "alice" }
            #expect(fromAlice.map(\.body) == ["meet at eleven", ""])
            #expect(fromAlice.map(\.isEdited) == [true, false] && fromAlice.map(\.isDeleted) == [false, true])
            #expect(history.first { $0.sender == "bob" }?.quote?.text == "meet at eleven")
            // Deleted while still queued for dave, its text never reached him.
            let daveSaw = await users.dave.events.all.compactMap(\.groupMessage).map(\.message.body)
            #expect(!daveSaw.contains("bring cake") && !daveSaw.contains("meet at ten"), "dave saw \(daveSaw)")
        }
    }
}
