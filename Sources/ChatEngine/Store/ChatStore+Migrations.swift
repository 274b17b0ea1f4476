import GRDB

extension ChatStore {
    /// The schema, as a list of named migrations.
    ///
    /// The identifiers are recorded in the file (`grdb_migrations`): never
    /// rename, reorder or edit a migration that has shipped. A schema change is
    /// a new `registerMigration` call appended at the end (groups, file
    /// transfers, …), which existing files pick up the next time they open.
    ///
    /// Conventions: times are Unix milliseconds (INTEGER, UTC); enums are their
    /// Swift raw values (TEXT), checked by the schema so that a bug cannot
    /// store a value the decoder would reject.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("contacts") { db in
            try db.execute(sql: """
                CREATE TABLE contacts (
                    id TEXT NOT NULL PRIMARY KEY,
                    fingerprint TEXT NOT NULL
                        CHECK (length(fingerprint) = 64 AND fingerprint NOT GLOB '*[^0-9a-f]*'),
                    added_at INTEGER NOT NULL
                )
                """)
        }

        migrator.registerMigration("friendRequests") { db in
            // One pending request per peer and direction: a repeat replaces the old one.
            try db.execute(sql: """
                CREATE TABLE friend_requests (
                    peer TEXT NOT NULL,
                    direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
                    fingerprint TEXT NOT NULL
                        CHECK (length(fingerprint) = 64 AND fingerprint NOT GLOB '*[^0-9a-f]*'),
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (peer, direction)
                )
                """)
        }

        migrator.registerMigration("messages") { db in
            // `seq` is an explicit INTEGER PRIMARY KEY because the full-text index refers to rows
            // by rowid, and an implicit rowid may be renumbered by VACUUM. (sender, id) is the
            // identity receivers de-duplicate on.
            try db.execute(sql: """
                CREATE TABLE messages (
                    seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL,
                    conversation TEXT NOT NULL,
                    sender TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    body TEXT NOT NULL,
                    sent_at INTEGER NOT NULL,
                    stored_at INTEGER NOT NULL,
                    direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
                    delivery TEXT CHECK (delivery IN ('queued', 'delivered')),
                    is_read INTEGER NOT NULL DEFAULT 0 CHECK (is_read IN (0, 1)),
                    UNIQUE (sender, id)
                );
                CREATE INDEX messages_by_conversation ON messages (conversation, stored_at, seq);
                CREATE INDEX messages_unread ON messages (conversation) WHERE is_read = 0;
                """)
        }

        migrator.registerMigration("messagesFullText") { db in
            // External-content FTS5: the text lives once, in `messages`; the triggers keep the
            // index in step inside the same transaction as the change. `remove_diacritics 2`
            // lets "cafe" find "café"; unicode61 folds case. Created with raw SQL because GRDB's
            // FTS5 helpers need a compile flag we do not set.
            try db.execute(sql: """
                CREATE VIRTUAL TABLE messages_fts USING fts5(
                    body,
                    content = 'messages',
                    content_rowid = 'seq',
                    tokenize = 'unicode61 remove_diacritics 2'
                );
                CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
                    INSERT INTO messages_fts (rowid, body) VALUES (new.seq, new.body);
                END;
                CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
                    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.seq, old.body);
                END;
                CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
                    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.seq, old.body);
                    INSERT INTO messages_fts (rowid, body) VALUES (new.seq, new.body);
                END;
                INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
                """)
        }

        migrator.registerMigration("outbox") { db in
            // One row per (message, target peer), so that a group message fanned out to several
            // members is acknowledged member by member. `seq` gives a stable creation order when
            // two frames share a millisecond.
            try db.execute(sql: """
                CREATE TABLE outbox (
                    seq INTEGER PRIMARY KEY,
                    message_seq INTEGER NOT NULL REFERENCES messages (seq) ON DELETE CASCADE,
                    message_id TEXT NOT NULL,
                    peer TEXT NOT NULL,
                    payload BLOB NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL,
                    last_attempt_at INTEGER,
                    UNIQUE (message_id, peer)
                );
                CREATE INDEX outbox_by_peer ON outbox (peer, created_at, seq);
                CREATE INDEX outbox_by_message ON outbox (message_seq);
                """)
        }

        migrator.registerMigration("rejectedRequests") { db in
            // "Rejecting deletes the request silently": the requester is not told, and its engine
            // keeps asking. Remembering the rejection (of that peer with that key) keeps the
            // repeats out of the user's way.
            try db.execute(sql: """
                CREATE TABLE rejected_requests (
                    peer TEXT PRIMARY KEY,
                    fingerprint TEXT NOT NULL,
                    rejected_at INTEGER NOT NULL
                );
                """)
        }

        // Each part's own tables come after the core's, in the order the parts are registered.
        for part in EngineParts.all {
            part.registerMigrations(in: &migrator)
        }

        return migrator
    }
}
