import GRDB

extension ChatStore {
    /// Friends' tables: the contacts with their pinned fingerprints, pending requests both ways, and
    /// rejections. The identifiers shipped when these tables were the core's: they stay as they
    /// were, so files made then open unchanged.
    static func registerFriends(in migrator: inout DatabaseMigrator) {
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
    }
}
