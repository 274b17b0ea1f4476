import ChatWire
import Foundation
import GRDB

extension ChatStore {
    static func registerGroups(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("groups") { db in
            // `group_peers` holds every user a group ever had, this user included: `is_member` says
            // who is in the current version, `removed_version` which version took someone out (they
            // must still learn of it), `known_version` the newest version a peer told us it has,
            // `next_seq_out`/`last_seq_in` the per-pair count of group texts (each sender's order).
            try db.execute(sql: """
                CREATE TABLE groups (
                    id TEXT NOT NULL PRIMARY KEY CHECK (length(id) = 32 AND id NOT GLOB '*[^0-9a-f]*'),
                    name TEXT NOT NULL,
                    owner TEXT,
                    version INTEGER NOT NULL CHECK (version >= 1),
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE group_peers (
                    group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
                    peer TEXT NOT NULL,
                    fingerprint TEXT NOT NULL
                        CHECK (length(fingerprint) = 64 AND fingerprint NOT GLOB '*[^0-9a-f]*'),
                    position INTEGER NOT NULL,
                    is_member INTEGER NOT NULL CHECK (is_member IN (0, 1)),
                    removed_version INTEGER NOT NULL DEFAULT 0,
                    known_version INTEGER NOT NULL DEFAULT 0,
                    next_seq_out INTEGER NOT NULL DEFAULT 1,
                    last_seq_in INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (group_id, peer)
                );
                CREATE INDEX group_peers_by_peer ON group_peers (peer);
                """)
        }
        migrator.registerMigration("groupSignatures") { db in
            // The signature of the stored version, relayed as it is; NULL for versions stored
            // before announcements were signed.
            try db.execute(sql: """
                ALTER TABLE groups ADD COLUMN signer TEXT;
                ALTER TABLE groups ADD COLUMN signer_key TEXT;
                ALTER TABLE groups ADD COLUMN signature TEXT;
                """)
        }
        // When this user left the group or was taken out of it (NULL while in it), so `/group info`
        // can say so.
        migrator.registerMigration("groupsLeftAt") { db in
            try db.execute(sql: "ALTER TABLE groups ADD COLUMN left_at INTEGER")
        }
    }

    // MARK: Reading

    /// Every group this user was ever in, with its current members, oldest group first.
    func groups() async throws -> [GroupRecord] {
        try await read("reading groups") { db in
            try Row.fetchAll(db, sql: "SELECT id FROM groups ORDER BY created_at, id").compactMap { row in
                try Self.group(row["id"], in: db)
            }
        }
    }

    func group(id: String) async throws -> GroupRecord? {
        try await read("reading group \(id)") { db in try Self.group(id, in: db) }
    }

    private static func group(_ id: String, in db: Database) throws -> GroupRecord? {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT name, owner, version, signer, signer_key, signature FROM groups WHERE id = ?", arguments: [id])
        else {
            return nil
        }
        let members = try Row.fetchAll(
            db, sql: "SELECT peer, fingerprint FROM group_peers WHERE group_id = ? AND is_member = 1 ORDER BY position",
            arguments: [id]
        ).map { GroupMember(id: $0["peer"], fingerprint: $0["fingerprint"]) }
        var signature: GroupSignature?
        if let signer: String = row["signer"], let key: String = row["signer_key"], let value: String = row["signature"] {
            signature = GroupSignature(signer: signer, publicKey: key, value: value)
        }
        return GroupRecord(
            id: id, name: row["name"], owner: row["owner"], version: row["version"], members: members, signature: signature)
    }

    /// When this user left `group` (or was taken out); nil while they are in it.
    func leftAt(group: String) async throws -> Date? {
        try await read("reading when group \(group) was left") { db in
            try Int64.fetchOne(db, sql: "SELECT left_at FROM groups WHERE id = ?", arguments: [group]).map(Date.init(unixMilliseconds:))
        }
    }

    /// Records that this user left `group` at `time`, or (nil) is in it again.
    func recordLeaving(_ group: String, at time: Date?) async throws {
        try await write("recording leaving group \(group)") { db in
            try db.execute(
                sql: "UPDATE groups SET left_at = ? WHERE id = ?", arguments: [time?.unixMilliseconds, group])
        }
    }

    /// How many of this user's texts to `group` each peer has not acked yet.
    func unackedGroupTexts(in group: String) async throws -> [String: Int] {
        try await read("counting unacked texts of group \(group)") { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT peer, COUNT(*) AS count FROM outbox
                    WHERE message_seq IN (SELECT seq FROM messages WHERE conversation = ? AND direction = 'outgoing')
                    GROUP BY peer
                    """,
                arguments: [GroupRecord.conversation(of: group)])
            {
                counts[row["peer"]] = row["count"]
            }
            return counts
        }
    }

    /// The newest version of `group` that each of its peers told us it has.
    func knownVersions(in group: String) async throws -> [String: Int64] {
        try await read("reading what members know of group \(group)") { db in
            var versions: [String: Int64] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT peer, known_version FROM group_peers WHERE group_id = ?", arguments: [group])
            {
                versions[row["peer"]] = row["known_version"]
            }
            return versions
        }
    }

    /// (group, peer) pairs where the peer has not yet confirmed the version it must learn: the
    /// current one for members, the one that removed them for those taken out. Never `me`.
    func pendingAnnouncements(me: String) async throws -> [(group: String, peer: String)] {
        try await read("reading pending group announcements") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT p.group_id, p.peer FROM group_peers p JOIN groups g ON g.id = p.group_id
                    WHERE p.peer != ? AND p.known_version < (CASE WHEN p.is_member = 1 THEN g.version ELSE p.removed_version END)
                    ORDER BY p.peer
                    """,
                arguments: [me]
            ).map { (group: $0["group_id"], peer: $0["peer"]) }
        }
    }

    /// The fingerprint a group announcement gave for `peer`, if `peer` shares a group with us or
    /// must still learn of a change. Nil for anyone else.
    func groupFingerprint(of peer: String, me: String) async throws -> String? {
        try await read("reading the group fingerprint of \(peer)") { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT p.fingerprint FROM group_peers p JOIN groups g ON g.id = p.group_id
                    WHERE p.peer = ? AND (
                        (p.is_member = 1 AND EXISTS (
                            SELECT 1 FROM group_peers m WHERE m.group_id = p.group_id AND m.peer = ? AND m.is_member = 1))
                        OR p.known_version < (CASE WHEN p.is_member = 1 THEN g.version ELSE p.removed_version END))
                    ORDER BY g.created_at DESC LIMIT 1
                    """,
                arguments: [peer, me])
        }
    }

    // MARK: Membership

    /// Stores `record` if it is newer than what is stored (or the group is new), in one
    /// transaction: members in their order, those no longer in it marked removed, and their queued
    /// group texts dropped (they count as delivered to the rest). Returns nil when not newer.
    func applyGroup(_ record: GroupRecord, at time: Date = Date()) async throws -> GroupChange? {
        try await write("storing group \(record.id) version \(record.version)") { db in
            let old = try Self.group(record.id, in: db)
            if let old, old.version >= record.version { return nil }
            try db.execute(
                sql: """
                    INSERT INTO groups (id, name, owner, version, created_at, signer, signer_key, signature)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, version = excluded.version,
                        signer = excluded.signer, signer_key = excluded.signer_key, signature = excluded.signature
                    """,
                arguments: [
                    record.id, record.name, record.owner, record.version, time.unixMilliseconds,
                    record.signature?.signer, record.signature?.publicKey, record.signature?.value,
                ])
            try db.execute(
                sql: "UPDATE group_peers SET is_member = 0, removed_version = ? WHERE group_id = ? AND is_member = 1",
                arguments: [record.version, record.id])
            for (position, member) in record.members.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO group_peers (group_id, peer, fingerprint, position, is_member) VALUES (?, ?, ?, ?, 1)
                        ON CONFLICT (group_id, peer) DO UPDATE SET
                            fingerprint = excluded.fingerprint, position = excluded.position, is_member = 1,
                            removed_version = 0
                        """,
                    arguments: [record.id, member.id, member.fingerprint, position])
            }
            let change = GroupChange(old: old, new: record)
            for peer in change.left {
                try db.execute(
                    sql: """
                        DELETE FROM outbox WHERE peer = ?
                        AND message_seq IN (SELECT seq FROM messages WHERE conversation = ? AND direction = 'outgoing')
                        """,
                    arguments: [peer, record.conversation])
            }
            try db.execute(
                sql: """
                    UPDATE messages SET delivery = 'delivered'
                    WHERE conversation = ? AND direction = 'outgoing' AND delivery = 'queued'
                    AND NOT EXISTS (SELECT 1 FROM outbox WHERE message_seq = messages.seq)
                    """,
                arguments: [record.conversation])
            return change
        }
    }

    /// Stores the owner's signature on a version that was stored unsigned: nothing when it is
    /// signed already (two announcements signed it at once: the first one counts) or when a newer
    /// version is stored.
    func storeSignatureIfUnsigned(_ record: GroupRecord) async throws {
        try await write("signing group \(record.id) version \(record.version)") { db in
            try db.execute(
                sql: "UPDATE groups SET signer = ?, signer_key = ?, signature = ? WHERE id = ? AND version = ? AND signature IS NULL",
                arguments: [
                    record.signature?.signer, record.signature?.publicKey, record.signature?.value, record.id, record.version,
                ])
        }
    }

    /// Records that `peer` has `version` of `group` (never going back).
    func recordKnownVersion(_ version: Int64, of group: String, peer: String) async throws {
        try await write("recording what \(peer) knows of group \(group)") { db in
            try db.execute(
                sql: "UPDATE group_peers SET known_version = max(known_version, ?) WHERE group_id = ? AND peer = ?",
                arguments: [version, group, peer])
        }
    }

    // MARK: Texts

    /// Stores an outgoing group text and one outbox frame per other member, in one transaction;
    /// `payload` encodes the frame for a member with its per-pair sequence number. A group with no
    /// one else in it stores the text as delivered. Returns the members it is queued for.
    func enqueueGroupMessage(
        _ message: StoredMessage, group: String, me: String,
        payload: @Sendable (_ peer: String, _ sequence: Int64) throws -> Data
    ) async throws -> [String] {
        try await write("queueing group message \(message.id)") { db in
            let peers = try Row.fetchAll(
                db,
                sql: "SELECT peer, next_seq_out FROM group_peers WHERE group_id = ? AND is_member = 1 AND peer != ? ORDER BY position",
                arguments: [group, me])
            try db.execute(
                sql: """
                    INSERT INTO messages
                        (id, conversation, sender, recipient, body, sent_at, stored_at, direction, delivery, is_read, reply_to)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'outgoing', ?, 1, ?)
                    """,
                arguments: [
                    message.id, message.conversation, message.sender, message.recipient, message.body,
                    message.sentAt.unixMilliseconds, message.storedAt.unixMilliseconds,
                    peers.isEmpty ? "delivered" : "queued", message.replyTo,
                ])
            let messageSeq = db.lastInsertedRowID
            for row in peers {
                let peer: String = row["peer"]
                let sequence: Int64 = row["next_seq_out"]
                try db.execute(
                    sql: """
                        INSERT INTO outbox (message_seq, message_id, peer, payload, attempts, created_at)
                        VALUES (?, ?, ?, ?, 0, ?)
                        """,
                    arguments: [messageSeq, message.id, peer, try payload(peer, sequence), message.storedAt.unixMilliseconds])
                try db.execute(
                    sql: "UPDATE group_peers SET next_seq_out = next_seq_out + 1 WHERE group_id = ? AND peer = ?",
                    arguments: [group, peer])
            }
            return peers.map { $0["peer"] }
        }
    }

    /// Stores a received group text if it is its sender's next one to us, in one transaction with
    /// the sender's count, so a crash never stores one without the other. A text stored is returned
    /// as it is now (changes that waited for it applied).
    func insertGroupIncoming(
        _ message: StoredMessage, group: String, sequence: Int64, me: String
    ) async throws -> (outcome: GroupIncomingOutcome, stored: StoredMessage?) {
        try await write("storing group message \(message.id) from \(message.sender)") { db in
            if let refused = try Self.placeGroupFrame(group: group, sender: message.sender, sequence: sequence, me: me, in: db) {
                return (refused, nil)
            }
            try db.execute(
                sql: """
                    INSERT INTO messages
                        (id, conversation, sender, recipient, body, sent_at, stored_at, direction, delivery, is_read, reply_to)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'incoming', NULL, 0, ?)
                    ON CONFLICT (sender, id) DO NOTHING
                    """,
                arguments: [
                    message.id, message.conversation, message.sender, message.recipient, message.body,
                    message.sentAt.unixMilliseconds, message.storedAt.unixMilliseconds, message.replyTo,
                ])
            guard db.changesCount > 0 else { return (.duplicate, nil) }
            return (.stored, try Self.applyPendingChanges(to: message, in: db))
        }
    }

    /// Stores a received change of a group text if it is its sender's next frame to us, in one
    /// transaction with the sender's count (a change counts in the sender's order as a text does).
    func insertGroupChange(
        _ change: MessageChange, group: String, sequence: Int64, me: String, keepOriginal: Bool
    ) async throws -> (outcome: GroupIncomingOutcome, change: MessageChangeOutcome?) {
        try await write("storing a change of group message \(change.target) from \(change.sender)") { db in
            if let refused = try Self.placeGroupFrame(group: group, sender: change.sender, sequence: sequence, me: me, in: db) {
                return (refused, nil)
            }
            let outcome = try Self.record(change, keepOriginal: keepOriginal, in: db)
            return (outcome == .duplicate ? .duplicate : .stored, outcome)
        }
    }

    /// Nil when the frame numbered `sequence` is `sender`'s next one to us in `group` (its number
    /// is then counted); otherwise why it cannot be placed.
    private static func placeGroupFrame(
        group: String, sender: String, sequence: Int64, me: String, in db: Database
    ) throws -> GroupIncomingOutcome? {
        let isMember = try Bool.fetchOne(
            db, sql: "SELECT is_member FROM group_peers WHERE group_id = ? AND peer = ?", arguments: [group, me])
        guard let isMember else { return .unknownGroup }
        guard isMember else { return .notMember }
        guard let row = try Row.fetchOne(
            db, sql: "SELECT is_member, last_seq_in FROM group_peers WHERE group_id = ? AND peer = ?",
            arguments: [group, sender])
        else { return .notFromMember }
        let last: Int64 = row["last_seq_in"]
        if sequence <= last { return .duplicate }
        guard row["is_member"] as Bool else { return .notFromMember }
        guard sequence == last + 1 else { return .outOfOrder }
        try db.execute(
            sql: "UPDATE group_peers SET last_seq_in = ? WHERE group_id = ? AND peer = ?", arguments: [sequence, group, sender])
        return nil
    }

    /// Applies this user's own change of a group text and queues its frame for every other member
    /// (numbered in each member's order of group texts), in one transaction. Returns the message
    /// as it is now and the members the change is queued for.
    func enqueueGroupChange(
        _ change: MessageChange, group: String, me: String, keepOriginal: Bool,
        payload: @Sendable (_ peer: String, _ sequence: Int64) throws -> Data
    ) async throws -> (message: StoredMessage, peers: [String]) {
        try await write("queueing a change of group message \(change.target)") { db in
            guard case .applied(let message) = try Self.record(change, keepOriginal: keepOriginal, in: db) else {
                throw Error.invalidMessage(id: change.target, reason: "not a message of yours in this group")
            }
            try Self.rewriteQueuedText(of: message, for: change, in: db)
            let peers = try Row.fetchAll(
                db,
                sql: "SELECT peer, next_seq_out FROM group_peers WHERE group_id = ? AND is_member = 1 AND peer != ? ORDER BY position",
                arguments: [group, me])
            for row in peers {
                let peer: String = row["peer"]
                try Self.queueChangeFrame(change, message: message, peer: peer, payload: try payload(peer, row["next_seq_out"]), in: db)
                try db.execute(
                    sql: "UPDATE group_peers SET next_seq_out = next_seq_out + 1 WHERE group_id = ? AND peer = ?",
                    arguments: [group, peer])
            }
            return (message, peers.map { $0["peer"] })
        }
    }
}
