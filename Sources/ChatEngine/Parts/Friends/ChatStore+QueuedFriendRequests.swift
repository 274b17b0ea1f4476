import Foundation
import GRDB

extension ChatStore {
    static func registerQueuedFriendRequests(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("queuedFriendRequests") { db in
            // `/add` to someone offline: no fingerprint is known yet (the one the locator publishes
            // when the peer is next online is pinned), so these wait apart from `friend_requests`.
            try db.execute(sql: """
                CREATE TABLE queued_friend_requests (
                    peer TEXT NOT NULL PRIMARY KEY,
                    created_at INTEGER NOT NULL
                )
                """)
        }
    }

    /// Stores a request to a peer who is offline; a repeat keeps the first.
    func queueFriendRequest(to peer: String, at time: Date = Date()) async throws {
        try await write("queueing the friend request to \(peer)") { db in
            try db.execute(
                sql: "INSERT INTO queued_friend_requests (peer, created_at) VALUES (?, ?) ON CONFLICT (peer) DO NOTHING",
                arguments: [peer, time.unixMilliseconds])
        }
    }

    /// Queued requests, oldest first.
    func queuedFriendRequests() async throws -> [FriendRequest] {
        try await read("reading queued friend requests") { db in
            try Row.fetchAll(db, sql: "SELECT peer, created_at FROM queued_friend_requests ORDER BY created_at, peer").map { row in
                FriendRequest(
                    peer: row["peer"], direction: .outgoing, fingerprint: "",
                    createdAt: Date(unixMilliseconds: row["created_at"]), isQueued: true)
            }
        }
    }

    /// The queued request to `peer` becomes a sent one, pinned to `fingerprint`, in one transaction.
    func promoteQueuedFriendRequest(to peer: String, fingerprint: String) async throws {
        let fingerprint = try Self.validatedFingerprint(fingerprint)
        try await write("sending the queued friend request to \(peer)") { db in
            try db.execute(sql: "DELETE FROM queued_friend_requests WHERE peer = ?", arguments: [peer])
            try db.execute(
                sql: """
                    INSERT INTO friend_requests (peer, direction, fingerprint, created_at) VALUES (?, 'outgoing', ?, ?)
                    ON CONFLICT (peer, direction) DO UPDATE SET fingerprint = excluded.fingerprint
                    """,
                arguments: [peer, fingerprint, Date().unixMilliseconds])
        }
    }

    /// Forgets a queued request (answered, or made moot by a friendship). Returns whether it existed.
    @discardableResult
    func removeQueuedFriendRequest(to peer: String) async throws -> Bool {
        try await write("removing the queued friend request to \(peer)") { db in
            try db.execute(sql: "DELETE FROM queued_friend_requests WHERE peer = ?", arguments: [peer])
            return db.changesCount > 0
        }
    }
}
