import Foundation
import GRDB
import TestSupport
import Testing

@testable import ChatEngine

/// Files written by earlier versions open unchanged: users keep their friends and history across
/// upgrades, also when tables move between the core and the parts.
@Suite("ChatStore: files of earlier versions")
struct ChatStoreEarlierFileTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Writes `fixture` (an SQL script) into a new `chat.sqlite` in `directory`, as a plain SQLite
    /// file with no p2pchat code involved, and returns its path.
    static func database(from fixture: String, in directory: URL) throws -> String {
        let script = try String(contentsOf: fixtures.appendingPathComponent(fixture), encoding: .utf8)
        let path = directory.appendingPathComponent("chat.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: script) }
        try queue.close()
        return path
    }

    @Test("a file made before the parts owned their tables opens with its friends, requests and messages")
    func fileFromBeforeParts() async throws {
        try await withTemporaryDirectory { dir in
            let path = try Self.database(from: "chat-before-parts.sql", in: dir)
            let store = try ChatStore(path: path)
            #expect(store.startedEmpty == false)

            // Friends and their pinned keys.
            let contacts = try await store.contacts()
            #expect(contacts.map(\.id) == ["bob", "carol"])
            #expect(try await store.pinnedFingerprint(of: "bob") == String(repeating: "b2", count: 32))

            // Requests both ways, the queued one, and the rejection, which still keeps a repeat out.
            #expect(try await store.requests(direction: .incoming).map(\.peer) == ["dave"])
            #expect(try await store.requests(direction: .outgoing).map(\.peer) == ["erin"])
            #expect(try await store.queuedFriendRequests().map(\.peer) == ["frank"])
            let repeated = try await store.recordIncomingRequest(from: "mallory", fingerprint: String(repeating: "f6", count: 32))
            #expect(repeated == .ignored)

            // The conversation, in order, with delivery, read state and the action as they were.
            let history = try await store.history(with: "bob")
            #expect(history.map(\.id) == ["m1", "m2", "m3", "m4"])
            #expect(history.map(\.body) == ["hello from the café", "hi bob", "are you there?", "waves"])
            #expect(history.map(\.delivery) == [nil, .delivered, nil, .queued])
            #expect(history.map(\.isAction) == [false, false, false, true])
            #expect(try await store.unreadCounts() == ["bob": 1])

            // The frame still owed to bob, and the search index over the old rows.
            let pending = try await store.pendingOutbox(for: "bob")
            #expect(pending.map(\.messageId) == ["m4"])
            #expect(pending.map(\.attempts) == [2])
            #expect(try await store.search("cafe").map(\.id) == ["m1"])

            // Nothing was migrated again, and nothing is missing.
            let applied = try await store.pool.read { db in try ChatStore.migrator.appliedIdentifiers(db) }
            #expect(applied == Set(ChatStore.migrator.migrations))
        }
    }

    @Test("a file made before the parts owned their tables takes new friends and messages")
    func fileFromBeforePartsTakesWrites() async throws {
        try await withTemporaryDirectory { dir in
            let path = try Self.database(from: "chat-before-parts.sql", in: dir)
            let store = try ChatStore(path: path)
            try await store.befriend("dave", fingerprint: String(repeating: "d4", count: 32))
            let time = Date(timeIntervalSince1970: 1_700_000_100)
            #expect(try await store.insertIncoming(
                .incoming(id: "m5", from: "dave", to: "alice", body: "thanks for accepting", sentAt: time, storedAt: time)))
            try await store.enqueueOutgoing(message: .outgoing(id: "m6", from: "alice", to: "bob", body: "back again"), payload: Data("{}".utf8))

            #expect(try await store.contacts().map(\.id) == ["bob", "carol", "dave"])
            #expect(try await store.requests(direction: .incoming).isEmpty)
            #expect(try await store.history(with: "dave").map(\.body) == ["thanks for accepting"])
            #expect(try await store.search("accepting").map(\.id) == ["m5"])
            #expect(try await store.pendingOutbox(for: "bob").map(\.messageId) == ["m4", "m6"])
        }
    }
}
