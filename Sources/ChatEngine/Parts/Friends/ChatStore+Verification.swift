import Foundation
import GRDB

extension ChatStore {
    /// Whether the user compared safety numbers with a friend, and a new key a friend presented
    /// that the user has not accepted yet.
    static func registerVerification(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("contactVerification") { db in
            try db.execute(sql: """
                ALTER TABLE contacts ADD COLUMN verified INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1));
                ALTER TABLE contacts ADD COLUMN offered_fingerprint TEXT
                    CHECK (offered_fingerprint IS NULL
                        OR (length(offered_fingerprint) = 64 AND offered_fingerprint NOT GLOB '*[^0-9a-f]*'));
                """)
        }
    }

    /// Remembers that friend `id` presented `fingerprint`, which is not the pinned one, and marks
    /// the friend unverified: the pin stays until the user accepts the new key. Returns whether
    /// `id` is a friend.
    @discardableResult
    public func recordOfferedFingerprint(_ fingerprint: String, of id: String) async throws -> Bool {
        let fingerprint = try Self.validatedFingerprint(fingerprint)
        return try await write("recording a new key of \(id)") { db in
            try db.execute(
                sql: "UPDATE contacts SET offered_fingerprint = ?, verified = 0 WHERE id = ? AND fingerprint != ?",
                arguments: [fingerprint, id, fingerprint])
            return db.changesCount > 0
        }
    }

    /// The user compared safety numbers for `fingerprint` with friend `id`: pins it (it may be the
    /// new key they presented) and marks them verified. Returns false, changing nothing, when
    /// `fingerprint` is neither the pinned nor the offered key any more.
    public func confirmVerification(of id: String, fingerprint: String) async throws -> Bool {
        let fingerprint = try Self.validatedFingerprint(fingerprint)
        return try await write("verifying \(id)") { db in
            try db.execute(
                sql: """
                    UPDATE contacts SET fingerprint = ?, offered_fingerprint = NULL, verified = 1
                    WHERE id = ? AND (fingerprint = ? OR offered_fingerprint = ?)
                    """,
                arguments: [fingerprint, id, fingerprint, fingerprint])
            return db.changesCount > 0
        }
    }
}
