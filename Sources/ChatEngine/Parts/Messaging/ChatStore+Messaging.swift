import GRDB

extension ChatStore {
    /// Messaging's tables: the messages with their full-text index, and the outbox of frames waiting
    /// for an `Ack`. The identifiers shipped when these tables were the core's: they stay as they
    /// were, so files made then open unchanged.
    static func registerMessaging(in migrator: inout DatabaseMigrator) {
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
    }
}
