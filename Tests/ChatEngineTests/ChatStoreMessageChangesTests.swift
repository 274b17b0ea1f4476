import Foundation
import GRDB
import TestSupport
import Testing

@testable import ChatEngine

/// Edits and deletes in the store: applied once, only by the author, kept until their message comes.
@Suite("ChatStore: message changes")
struct ChatStoreMessageChangesTests {
    static let origin = Date(timeIntervalSince1970: 1_700_000_000)

    static func fromBob(_ id: String, _ body: String, in conversation: String = "bob") -> StoredMessage {
        var message = StoredMessage.incoming(id: id, from: "bob", to: "alice", body: body, sentAt: origin, storedAt: origin)
        message.conversation = conversation
        return message
    }

    static func change(
        _ id: String, _ kind: MessageChange.Kind, of target: String, by sender: String = "bob", in conversation: String = "bob",
        text: String? = nil, at offset: TimeInterval = 1
    ) -> MessageChange {
        MessageChange(
            id: id, kind: kind, sender: sender, conversation: conversation, target: target, text: text,
            sentAt: origin.addingTimeInterval(offset))
    }

    static func withStore(_ body: (ChatStore) async throws -> Void) async throws {
        try await withTemporaryDirectory { dir in
            try await body(try ChatStore(path: dir.appendingPathComponent("chat.sqlite").path))
        }
    }

    @Test("an edit replaces the text everywhere, search included; a second copy changes nothing")
    func editOverwrites() async throws {
        try await Self.withStore { store in
            try await store.insertIncoming(Self.fromBob("m1", "see you at ten"))
            let outcome = try await store.applyReceivedChange(
                Self.change("e1", .edit, of: "m1", text: "see you at eleven"), keepOriginal: false)
            guard case .applied(let message) = outcome else {
                Issue.record("not applied: \(outcome)")
                return
            }
            #expect(message.body == "see you at eleven" && message.isEdited && !message.isDeleted && message.original == nil)
            #expect(try await store.applyReceivedChange(Self.change("e1", .edit, of: "m1", text: "again"), keepOriginal: false) == .duplicate)
            let history = try await store.history(with: "bob")
            #expect(history.map(\.body) == ["see you at eleven"])
            #expect(history.first?.number == 1)
            #expect(try await store.search("ten").isEmpty, "the old text is gone from the index")
            #expect(try await store.search("eleven").map(\.id) == ["m1"])
        }
    }

    @Test("with keep-edits the first text is kept, and a delete leaves [deleted] that no edit revives")
    func keepOriginalThenDelete() async throws {
        try await Self.withStore { store in
            try await store.insertIncoming(Self.fromBob("m1", "first"))
            _ = try await store.applyReceivedChange(Self.change("e1", .edit, of: "m1", text: "second"), keepOriginal: true)
            _ = try await store.applyReceivedChange(Self.change("e2", .edit, of: "m1", text: "third", at: 2), keepOriginal: true)
            #expect(try await store.history(with: "bob").first?.original == "first")
            _ = try await store.applyReceivedChange(Self.change("d1", .delete, of: "m1", at: 3), keepOriginal: false)
            _ = try await store.applyReceivedChange(Self.change("e3", .edit, of: "m1", text: "back", at: 4), keepOriginal: false)
            let message = try #require(try await store.history(with: "bob").first)
            #expect(message.isDeleted && message.body.isEmpty && message.original == nil)
            #expect(try await store.search("first").isEmpty)
            #expect(try await store.search("back").isEmpty)
        }
    }

    @Test("an edit that comes before its message waits, and applies when the message is stored")
    func editBeforeItsMessage() async throws {
        try await Self.withStore { store in
            #expect(try await store.applyReceivedChange(Self.change("e1", .edit, of: "m1", text: "fixed"), keepOriginal: false) == .pending)
            let stored = try await store.storeIncoming([Self.fromBob("m1", "fxed")])
            #expect(stored.first??.body == "fixed" && stored.first??.isEdited == true, "the message as the user first sees it")
            #expect(try await store.history(with: "bob").map(\.body) == ["fixed"])
        }
    }

    @Test("a change of someone else's message is refused and counted, once, and changes nothing")
    func forgedChangesAreRefused() async throws {
        try await Self.withStore { store in
            // alice's own message to carol, and a group text of carol's.
            try await store.enqueueOutgoing(
                message: .outgoing(id: "mine", from: "alice", to: "carol", body: "my words", sentAt: Self.origin), payload: Data("x".utf8))
            var carols = StoredMessage.incoming(id: "carols", from: "carol", to: "alice", body: "carol's words", sentAt: Self.origin)
            carols.conversation = "#team"
            try await store.insertIncoming(carols)

            let forged = [
                Self.change("f1", .edit, of: "mine", text: "bob's words"),
                Self.change("f2", .delete, of: "carols", in: "#team"),
                Self.change("f3", .edit, of: "carols", in: "#team", text: "bob's words"),
            ]
            for change in forged { #expect(try await store.applyReceivedChange(change, keepOriginal: false) == .refused) }
            #expect(try await store.applyReceivedChange(forged[0], keepOriginal: false) == .duplicate)
            #expect(try await store.refusedChangeCount() == 3)
            #expect(try await store.history(with: "carol").map(\.body) == ["my words"])
            #expect(try await store.history(with: "#team").map(\.body) == ["carol's words"])
            #expect(try await store.history(with: "#team").allSatisfy { !$0.isEdited && !$0.isDeleted })
        }
    }

    @Test("a forged change that waited is refused when the real author's message arrives")
    func waitingForgeryRefused() async throws {
        try await Self.withStore { store in
            #expect(try await store.applyReceivedChange(Self.change("f1", .edit, of: "m1", text: "forged"), keepOriginal: false) == .pending)
            var carols = StoredMessage.incoming(id: "m1", from: "carol", to: "alice", body: "carol's words", sentAt: Self.origin)
            carols.conversation = "carol"
            try await store.insertIncoming(carols)
            #expect(try await store.history(with: "carol").map(\.body) == ["carol's words"])
            #expect(try await store.refusedChangeCount() == 1)
        }
    }

    @Test("messages are numbered per conversation from 1, and a reply quotes what it answers")
    func numbersAndQuotes() async throws {
        try await Self.withStore { store in
            try await store.insertIncoming(Self.fromBob("m1", "see you at ten"))
            try await store.insertIncoming(Self.fromBob("c1", "hello", in: "carol"))
            var reply = StoredMessage.outgoing(id: "r1", from: "alice", to: "bob", body: "yes", sentAt: Self.origin.addingTimeInterval(1))
            reply.replyTo = "m1"
            try await store.enqueueOutgoing(message: reply, payload: Data("x".utf8))
            let history = try await store.history(with: "bob")
            #expect(history.map(\.number) == [1, 2])
            #expect(history.last?.replyTo == "m1")
            #expect(history.last?.quote == StoredMessage.Quote(sender: "bob", body: "see you at ten", isDeleted: false))
            #expect(try await store.history(with: "carol").map(\.number) == [1])
            #expect(try await store.message(numbered: 2, in: "bob")?.id == "r1")
            #expect(try await store.ownMessage(in: "bob", me: "alice", nthLast: 1)?.id == "r1")
            #expect(try await store.ownMessage(in: "bob", me: "alice", nthLast: 2) == nil)
        }
    }
}
