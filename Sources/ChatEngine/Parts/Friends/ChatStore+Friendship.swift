import Foundation
import GRDB

extension ChatStore {
    /// What became of an incoming friend request.
    public enum IncomingRequestOutcome: Sendable, Equatable {
        /// Stored, and the user has not seen it before: tell them.
        case new
        /// Stored already (the requester asked again).
        case repeated
        /// Not stored: the requester is a friend already, or the user rejected this request.
        case ignored
    }

    /// Stores an incoming request unless the peer is already a friend or was rejected with the
    /// same key, in one transaction, so a request racing with an accept cannot outlive it.
    public func recordIncomingRequest(from peer: String, fingerprint: String, at time: Date = Date()) async throws
        -> IncomingRequestOutcome
    {
        let fingerprint = try Self.validatedFingerprint(fingerprint)
        return try await write("recording the friend request of \(peer)") { db in
            let isFriend = try Bool.fetchOne(db, sql: "SELECT 1 FROM contacts WHERE id = ?", arguments: [peer]) ?? false
            let isRejected = try Bool.fetchOne(
                db, sql: "SELECT 1 FROM rejected_requests WHERE peer = ? AND fingerprint = ?", arguments: [peer, fingerprint]
            ) ?? false
            guard !isFriend, !isRejected else { return .ignored }
            let known = try Bool.fetchOne(
                db, sql: "SELECT 1 FROM friend_requests WHERE peer = ? AND direction = 'incoming' AND fingerprint = ?",
                arguments: [peer, fingerprint]
            ) ?? false
            try db.execute(
                sql: """
                    INSERT INTO friend_requests (peer, direction, fingerprint, created_at) VALUES (?, 'incoming', ?, ?)
                    ON CONFLICT (peer, direction) DO UPDATE
                    SET fingerprint = excluded.fingerprint, created_at = excluded.created_at
                    """,
                arguments: [peer, fingerprint, time.unixMilliseconds])
            return known ? .repeated : .new
        }
    }

    /// Makes `peer` a friend with `fingerprint` pinned and clears requests both ways and any
    /// rejection, in one transaction.
    public func befriend(_ peer: String, fingerprint: String, at time: Date = Date()) async throws {
        let fingerprint = try Self.validatedFingerprint(fingerprint)
        try await write("adding contact \(peer)") { db in
            try db.execute(
                sql: "INSERT INTO contacts (id, fingerprint, added_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
                arguments: [peer, fingerprint, time.unixMilliseconds])
            try db.execute(sql: "DELETE FROM friend_requests WHERE peer = ?", arguments: [peer])
            try db.execute(sql: "DELETE FROM rejected_requests WHERE peer = ?", arguments: [peer])
        }
    }

    /// Deletes the incoming request from `peer` and remembers the rejection, so the requester's
    /// repeats are ignored. Returns whether there was a request.
    public func rejectRequest(from peer: String) async throws -> Bool {
        try await write("rejecting the friend request of \(peer)") { db in
            guard let fingerprint = try String.fetchOne(
                db, sql: "SELECT fingerprint FROM friend_requests WHERE peer = ? AND direction = 'incoming'", arguments: [peer])
            else { return false }
            try db.execute(sql: "DELETE FROM friend_requests WHERE peer = ? AND direction = 'incoming'", arguments: [peer])
            try db.execute(
                sql: "INSERT OR REPLACE INTO rejected_requests (peer, fingerprint, rejected_at) VALUES (?, ?, ?)",
                arguments: [peer, fingerprint, Date().unixMilliseconds])
            return true
        }
    }

    /// Forgets a rejection: the user now asks `peer` themselves.
    public func forgetRejection(of peer: String) async throws {
        try await write("forgetting the rejection of \(peer)") { db in
            try db.execute(sql: "DELETE FROM rejected_requests WHERE peer = ?", arguments: [peer])
        }
    }
}
