import Foundation
import GRDB

extension ChatStore {
    /// Records a pending request. A repeat (same peer and direction) replaces
    /// the old one, so the latest fingerprint and time win.
    public func addRequest(_ request: FriendRequest) async throws {
        let fingerprint = try Self.validatedFingerprint(request.fingerprint)
        try await write("recording the friend request of \(request.peer)") { db in
            try db.execute(
                sql: """
                    INSERT INTO friend_requests (peer, direction, fingerprint, created_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (peer, direction) DO UPDATE
                    SET fingerprint = excluded.fingerprint, created_at = excluded.created_at
                    """,
                arguments: [request.peer, request.direction.rawValue, fingerprint, request.createdAt.unixMilliseconds]
            )
        }
    }

    /// Pending requests in one direction, oldest first.
    public func requests(direction: FriendRequest.Direction) async throws -> [FriendRequest] {
        try await read("reading friend requests") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT peer, direction, fingerprint, created_at FROM friend_requests
                    WHERE direction = ? ORDER BY created_at, peer
                    """,
                arguments: [direction.rawValue]
            ).map(FriendRequest.init(row:))
        }
    }

    /// Forgets a request once it is answered. Returns whether it existed.
    @discardableResult
    public func removeRequest(peer: String, direction: FriendRequest.Direction) async throws -> Bool {
        try await write("removing the friend request of \(peer)") { db in
            try db.execute(
                sql: "DELETE FROM friend_requests WHERE peer = ? AND direction = ?",
                arguments: [peer, direction.rawValue]
            )
            return db.changesCount > 0
        }
    }
}
