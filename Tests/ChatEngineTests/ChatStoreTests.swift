import Foundation
import GRDB
import TestSupport
import Testing

@testable import ChatEngine

@Suite("ChatStore")
struct ChatStoreTests {
    static let aliceKey = String(repeating: "a1", count: 32)
    static let bobKey = String(repeating: "b2", count: 32)
    static let carolKey = String(repeating: "c3", count: 32)

    /// A message from bob to alice stored `offset` seconds after a fixed origin.
    static func fromBob(_ id: String, _ body: String, at offset: TimeInterval = 0) -> StoredMessage {
        let time = Date(timeIntervalSince1970: 1_700_000_000 + offset)
        return .incoming(id: id, from: "bob", to: "alice", body: body, sentAt: time, storedAt: time)
    }

    static func toBob(_ id: String, _ body: String, at offset: TimeInterval = 0) -> StoredMessage {
        .outgoing(id: id, from: "alice", to: "bob", body: body, sentAt: Date(timeIntervalSince1970: 1_700_000_000 + offset))
    }

    // MARK: - Opening

    @Test("a new file gets the whole schema, in WAL mode with synchronous=FULL")
    func migratesNewFile() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("chat.sqlite").path
            let store = try ChatStore(path: path)
            #expect(FileManager.default.fileExists(atPath: path))
            let (tables, journal, applied) = try await store.pool.read { db in
                (
                    try String.fetchSet(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"),
                    try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                    try ChatStore.migrator.appliedIdentifiers(db)
                )
            }
            #expect(tables.isSuperset(of: ["contacts", "friend_requests", "messages", "messages_fts", "outbox"]))
            #expect(journal == "wal")
            // 2 is FULL. Only the writer's setting matters: it is the connection that commits.
            let synchronous = try await store.pool.writeWithoutTransaction { db in
                try Int.fetchOne(db, sql: "PRAGMA synchronous")
            }
            #expect(synchronous == 2)
            #expect(applied == Set(ChatStore.migrator.migrations))
        }
    }

    @Test("reopening an existing file keeps its data and applies nothing twice")
    func reopensExistingFile() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("chat.sqlite").path
            do {
                let store = try ChatStore(path: path)
                try await store.addContact(id: "bob", fingerprint: Self.bobKey)
            }
            let reopened = try ChatStore(path: path)
            #expect(try await reopened.contact(id: "bob")?.fingerprint == Self.bobKey)
            let count = try await reopened.pool.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations")
            }
            #expect(count == ChatStore.migrator.migrations.count)
        }
    }

    @Test("a file that is not SQLite is refused with its path named, and left intact")
    func refusesGarbageFile() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("chat.sqlite").path
            let garbage = Data(String(repeating: "this is not a database\n", count: 20).utf8)
            try garbage.write(to: URL(fileURLWithPath: path))

            let error = #expect(throws: ChatStore.Error.self) { try ChatStore(path: path) }
            #expect(error == .notADatabase(path: path))
            #expect(error?.description.contains(path) == true)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
        }
    }

    @Test("a short garbage file is refused too")
    func refusesShortGarbageFile() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("chat.sqlite").path
            let garbage = Data("hello".utf8)
            try garbage.write(to: URL(fileURLWithPath: path))
            #expect(throws: ChatStore.Error.notADatabase(path: path)) { try ChatStore(path: path) }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
        }
    }

    @Test("another program's SQLite database is refused and gains no tables")
    func refusesForeignDatabase() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("other.sqlite").path
            do {
                let queue = try DatabaseQueue(path: path)
                try await queue.write { db in try db.execute(sql: "CREATE TABLE accounts (name TEXT)") }
            }
            #expect(throws: ChatStore.Error.notADatabase(path: path)) { try ChatStore(path: path) }
            let tables = try await DatabaseQueue(path: path).read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            #expect(tables == ["accounts"])
        }
    }

    @Test("a file migrated by a newer version is refused")
    func refusesNewerSchema() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("chat.sqlite").path
            do {
                let store = try ChatStore(path: path)
                try await store.pool.write { db in
                    try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('fromTheFuture')")
                }
            }
            #expect(throws: ChatStore.Error.newerSchema(path: path, unknownMigrations: ["fromTheFuture"])) {
                try ChatStore(path: path)
            }
        }
    }

    @Test("a file in a missing directory gives an error naming the path")
    func missingDirectory() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("no/such/dir/chat.sqlite").path
            let error = #expect(throws: ChatStore.Error.self) { try ChatStore(path: path) }
            #expect(error?.description.contains(path) == true)
        }
    }

    // MARK: - Contacts

    @Test("contacts: add is idempotent, replace only when told, sorted, removable")
    func contacts() async throws {
        try await withTemporaryDirectory { dir in
            let store = try ChatStore(path: dir.appendingPathComponent("chat.sqlite").path)
            #expect(try await store.addContact(id: "carol", fingerprint: Self.carolKey))
            #expect(try await store.addContact(id: "bob", fingerprint: Self.bobKey.uppercased()))
            #expect(try await store.pinnedFingerprint(of: "bob") == Self.bobKey)

            #expect(try await store.addContact(id: "bob", fingerprint: Self.aliceKey) == false)
            #expect(try await store.pinnedFingerprint(of: "bob") == Self.bobKey)
            #expect(try await store.addContact(id: "bob", fingerprint: Self.aliceKey, replacingFingerprint: true))
            #expect(try await store.pinnedFingerprint(of: "bob") == Self.aliceKey)

            #expect(try await store.contacts().map(\.id) == ["bob", "carol"])
            #expect(try await store.removeContact(id: "bob"))
            #expect(try await store.removeContact(id: "bob") == false)
            #expect(try await store.contact(id: "bob") == nil)
            #expect(try await store.pinnedFingerprint(of: "bob") == nil)
            #expect(try await store.contacts().map(\.id) == ["carol"])
        }
    }

    @Test("a malformed fingerprint is refused", arguments: ["", "abc", String(repeating: "g", count: 64), "ab:cd"])
    func invalidFingerprint(_ fingerprint: String) async throws {
        try await withTemporaryDirectory { dir in
            let store = try ChatStore(path: dir.appendingPathComponent("chat.sqlite").path)
            await #expect(throws: ChatStore.Error.invalidFingerprint(fingerprint)) {
                try await store.addContact(id: "bob", fingerprint: fingerprint)
            }
            #expect(try await store.contacts().isEmpty)
        }
    }

    // MARK: - Friend requests

    @Test("friend requests survive a restart; a repeat replaces; removal is per direction")
    func friendRequests() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("chat.sqlite").path
            let early = Date(timeIntervalSince1970: 1_700_000_000)
            do {
                let store = try ChatStore(path: path)
                try await store.addRequest(FriendRequest(peer: "bob", direction: .incoming, fingerprint: Self.aliceKey, createdAt: early))
                try await store.addRequest(FriendRequest(peer: "bob", direction: .incoming, fingerprint: Self.bobKey, createdAt: early + 5))
                try await store.addRequest(FriendRequest(peer: "carol", direction: .outgoing, fingerprint: Self.carolKey, createdAt: early))
            }
            let store = try ChatStore(path: path)
            #expect(try await store.requests(direction: .incoming) == [
                FriendRequest(peer: "bob", direction: .incoming, fingerprint: Self.bobKey, createdAt: early + 5),
            ])
            #expect(try await store.requests(direction: .outgoing).map(\.peer) == ["carol"])

            #expect(try await store.removeRequest(peer: "carol", direction: .incoming) == false)
            #expect(try await store.removeRequest(peer: "carol", direction: .outgoing))
            #expect(try await store.requests(direction: .outgoing).isEmpty)
            #expect(try await store.requests(direction: .incoming).count == 1)
        }
    }

    // MARK: - Messages

    @Test("an incoming message stored twice is kept once, unchanged")
    func incomingDeduplication() async throws {
        try await withTemporaryDirectory { dir in
            let store = try ChatStore(path: dir.appendingPathComponent("chat.sqlite").path)
            #expect(try await store.insertIncoming(Self.fromBob("m1", "first")))
            #expect(try await store.insertIncoming(Self.fromBob("m1", "resent, different text", at: 9)) == false)
            #expect(try await store.history(with: "bob").map(\.body) == ["first"])
            // As stored, with the number the store gave it (the first of the conversation).
            var first = Self.fromBob("m1", "first")
            first.number = 1
            #expect(try await store.history(with: "bob") == [first])
            #expect(try await store.unreadCounts() == ["bob": 1])

            // Ids are unique per sender only: carol's m1 is another message.
            let fromCarol = StoredMessage.incoming(id: "m1", from: "carol", to: "alice", body: "hi", sentAt: Date())
            #expect(try await store.insertIncoming(fromCarol))
            #expect(try await store.search("resent").isEmpty)
        }
    }

    @Test("history: newest N in chronological order, paged with before")
    func historyOrderAndLimit() async throws {
        try await withTemporaryDirectory { dir in
            let store = try ChatStore(path: dir.appendingPathComponent("chat.sqlite").path)
            for index in 0..<10 {
                if index.isMultiple(of: 2) {
                    try await store.insertIncoming(Self.fromBob("in\(index)", "message \(index)", at: Double(index)))
                } else {
                    try await store.enqueueOutgoing(message: Self.toBob("out\(index)", "message \(index)", at: Double(index)), payload: Data())
                }
            }
            let other = StoredMessage.incoming(id: "x", from: "carol", to: "alice", body: "elsewhere", sentAt: Date())
            try await store.insertIncoming(other)

            let latest = try await store.history(with: "bob", limit: 3)
            #expect(latest.map(\.body) == ["message 7", "message 8", "message 9"])
            let earlier = try await store.history(with: "bob", limit: 3, before: latest[0].storedAt)
            #expect(earlier.map(\.body) == ["message 4", "message 5", "message 6"])
            #expect(try await store.history(with: "bob", limit: 100).count == 10)
            #expect(try await store.history(with: "bob", limit: 0).isEmpty)
            #expect(try await store.history(with: "nobody").isEmpty)
        }
    }

    @Test("unread counts per conversation, cleared by markRead; outgoing messages never count")
    func unreadCounts() async throws {
        try await withTemporaryDirectory { dir in
            let store = try ChatStore(path: dir.appendingPathComponent("chat.sqlite").path)
            try await store.insertIncoming(Self.fromBob("1", "one"))
            try await store.insertIncoming(Self.fromBob("2", "two"))
            try await store.insertIncoming(.incoming(id: "1", from: "carol", to: "alice", body: "hey", sentAt: Date()))
            try await store.enqueueOutgoing(message: Self.toBob("3", "three"), payload: Data())
            #expect(try await store.unreadCounts() == ["bob": 2, "carol": 1])

            #expect(try await store.markRead(conversation: "bob") == 2)
            #expect(try await store.markRead(conversation: "bob") == 0)
            #expect(try await store.unreadCounts() == ["carol": 1])
            #expect(try await store.history(with: "bob").allSatisfy(\.isRead))
        }
    }

    // MARK: - Outbox

    @Test("outbox: enqueue, pending after a restart, acknowledge, duplicate ack")
    func outboxLifecycle() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("chat.sqlite").path
            do {
                let store = try ChatStore(path: path)
                try await store.enqueueOutgoing(message: Self.toBob("m2", "second", at: 2), payload: Data("frame 2".utf8))
                try await store.enqueueOutgoing(message: Self.toBob("m1", "first", at: 1), payload: Data("frame 1".utf8))
                try await store.enqueueOutgoing(
                    message: .outgoing(id: "m3", from: "alice", to: "carol", body: "hi carol"),
                    payload: Data("frame 3".utf8)
                )
                #expect(try await store.recordAttempt(messageId: "m1", peer: "bob"))
                #expect(try await store.recordAttempt(messageId: "nope") == false)
            }

            // A restart: everything not acked is still there, in creation order.
            let store = try ChatStore(path: path)
            #expect(try await store.pendingPeers() == ["bob", "carol"])
            let pending = try await store.pendingOutbox(for: "bob")
            #expect(pending.map(\.messageId) == ["m1", "m2"])
            #expect(pending.map(\.payload) == [Data("frame 1".utf8), Data("frame 2".utf8)])
            #expect(pending.map(\.attempts) == [1, 0])
            #expect(pending[0].lastAttemptAt != nil)
            #expect(try await store.history(with: "bob").first { $0.id == "m1" }?.delivery == .queued)

            // An ack from a peer the message was not sent to changes nothing.
            #expect(try await store.acknowledge(messageId: "m1", peer: "carol") == false)
            #expect(try await store.acknowledge(messageId: "m1", peer: "bob"))
            #expect(try await store.acknowledge(messageId: "m1", peer: "bob") == false)
            #expect(try await store.pendingOutbox(for: "bob").map(\.messageId) == ["m2"])
            #expect(try await store.history(with: "bob").first { $0.id == "m1" }?.delivery == .delivered)
            #expect(try await store.history(with: "bob").first { $0.id == "m2" }?.delivery == .queued)

            #expect(try await store.acknowledge(messageId: "m2", peer: "bob"))
            #expect(try await store.pendingPeers() == ["carol"])
            #expect(try await store.pendingOutbox(for: "bob").isEmpty)
        }
    }

    @Test("enqueueing an id twice throws and leaves one message and one frame")
    func duplicateOutgoing() async throws {
        try await withTemporaryDirectory { dir in
            let store = try ChatStore(path: dir.appendingPathComponent("chat.sqlite").path)
            try await store.enqueueOutgoing(message: Self.toBob("m1", "first"), payload: Data("a".utf8))
            await #expect(throws: ChatStore.Error.duplicateMessage(id: "m1")) {
                try await store.enqueueOutgoing(message: Self.toBob("m1", "again"), payload: Data("b".utf8))
            }
            #expect(try await store.history(with: "bob").map(\.body) == ["first"])
            #expect(try await store.pendingOutbox(for: "bob").map(\.payload) == [Data("a".utf8)])
        }
    }

    @Test("messages passed in the wrong direction are refused")
    func wrongDirection() async throws {
        try await withTemporaryDirectory { dir in
            let store = try ChatStore(path: dir.appendingPathComponent("chat.sqlite").path)
            await #expect(throws: ChatStore.Error.self) { try await store.insertIncoming(Self.toBob("m1", "x")) }
            await #expect(throws: ChatStore.Error.self) {
                try await store.enqueueOutgoing(message: Self.fromBob("m1", "x"), payload: Data())
            }
            #expect(try await store.history(with: "bob").isEmpty)
        }
    }

    // MARK: - Search

    @Test("search finds words and word starts, ignoring case and accents, newest last")
    func searchFindsWords() async throws {
        try await withTemporaryDirectory { dir in
            let store = try ChatStore(path: dir.appendingPathComponent("chat.sqlite").path)
            try await store.insertIncoming(Self.fromBob("1", "Meet me at the Café at noon", at: 1))
            try await store.enqueueOutgoing(message: Self.toBob("2", "see you at the cafe", at: 2), payload: Data())
            try await store.insertIncoming(Self.fromBob("3", "rock and roll or jazz?", at: 3))

            #expect(try await store.search("cafe").map(\.id) == ["1", "2"])
            #expect(try await store.search("CAFÉ").map(\.id) == ["1", "2"])
            #expect(try await store.search("meet NOON").map(\.id) == ["1"])
            #expect(try await store.search("jaz").map(\.id) == ["3"])
            #expect(try await store.search("cafe", limit: 1).map(\.id) == ["2"])
            #expect(try await store.search("teapot").isEmpty)
            // Operators are plain words: this finds the message containing "and" and "or".
            #expect(try await store.search("AND OR").map(\.id) == ["3"])
        }
    }

    @Test(
        "hostile search text never throws",
        arguments: [
            "", "   ", "\"", "\"\"\"", "AND OR", "OR", "NOT", "*", "NEAR(", "NEAR(a b", ")", "^", "body:x", "-",
            "a\"b", "\u{0}", "💬🔥", "'; DROP TABLE messages; --",
            String(repeating: "word ", count: 2_048),
            (0..<2_000).map { "w\($0)" }.joined(separator: " "),
            String(repeating: "(\"*", count: 3_500),
            String(repeating: "x", count: 10_240),
        ]
    )
    func hostileSearch(_ query: String) async throws {
        try await withTemporaryDirectory { dir in
            let store = try ChatStore(path: dir.appendingPathComponent("chat.sqlite").path)
            try await store.insertIncoming(Self.fromBob("1", "word near a body"))
            _ = try await store.search(query)
            #expect(try await store.history(with: "bob").count == 1)
        }
    }

    @Test("text without a word searches for nothing", arguments: ["", " \t\n", "\"*()^-:", "💬"])
    func searchWithoutWords(_ query: String) async throws {
        try await withTemporaryDirectory { dir in
            let store = try ChatStore(path: dir.appendingPathComponent("chat.sqlite").path)
            try await store.insertIncoming(Self.fromBob("1", "anything"))
            #expect(try await store.search(query).isEmpty)
        }
    }

    @Test("the MATCH expression quotes every word and caps their number")
    func matchExpression() {
        #expect(FullTextQuery("Hello, \"world\" hello NEAR(").matchExpression == "\"hello\"* \"world\"* \"near\"*")
        #expect(FullTextQuery("?!").matchExpression == nil)
        let many = FullTextQuery((0..<100).map { "w\($0)" }.joined(separator: " "))
        #expect(many.terms.count == FullTextQuery.maximumTerms)
    }
}
