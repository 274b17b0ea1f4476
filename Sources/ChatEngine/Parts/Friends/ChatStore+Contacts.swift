import Foundation
import GRDB

extension ChatStore {
    /// Adds `id` as a friend with its pinned `fingerprint`.
    ///
    /// Idempotent: if the contact exists, nothing changes, unless
    /// `replacingFingerprint` is true (the user accepted a new key, like
    /// removing a line from SSH's known_hosts). Returns whether anything changed.
    @discardableResult
    public func addContact(
        id: String,
        fingerprint: String,
        replacingFingerprint: Bool = false,
        addedAt: Date = Date()
    ) async throws -> Bool {
        let fingerprint = try Self.validatedFingerprint(fingerprint)
        let conflict = replacingFingerprint
            ? "DO UPDATE SET fingerprint = excluded.fingerprint, verified = 0, offered_fingerprint = NULL WHERE fingerprint != excluded.fingerprint"
            : "DO NOTHING"
        return try await write("adding contact \(id)") { db in
            try db.execute(
                sql: "INSERT INTO contacts (id, fingerprint, added_at) VALUES (?, ?, ?) ON CONFLICT (id) \(conflict)",
                arguments: [id, fingerprint, addedAt.unixMilliseconds]
            )
            return db.changesCount > 0
        }
    }

    /// Removes a friend. Their messages stay in the history. Returns whether the contact existed.
    @discardableResult
    public func removeContact(id: String) async throws -> Bool {
        try await write("removing contact \(id)") { db in
            try db.execute(sql: "DELETE FROM contacts WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func contact(id: String) async throws -> Contact? {
        try await read("reading contact \(id)") { db in
            // Cached: every send asks this.
            try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Contact.columns) FROM contacts WHERE id = ?"), arguments: [id])
                .map(Contact.init(row:))
        }
    }

    /// All friends, sorted by id.
    public func contacts() async throws -> [Contact] {
        try await read("reading contacts") { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT \(Contact.columns) FROM contacts ORDER BY id"))
                .map(Contact.init(row:))
        }
    }

    /// The fingerprint a peer's certificate must match, or `nil` if the peer is not a friend.
    public func pinnedFingerprint(of id: String) async throws -> String? {
        try await read("reading the fingerprint of \(id)") { db in
            try String.fetchOne(db, sql: "SELECT fingerprint FROM contacts WHERE id = ?", arguments: [id])
        }
    }
}
