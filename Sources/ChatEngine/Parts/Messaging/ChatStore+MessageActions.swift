import GRDB

extension ChatStore {
    static func registerMessageActions(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("messageActions") { db in
            // `/me waves`: an action, kept in the same table so that history and search see it.
            try db.execute(sql: """
                ALTER TABLE messages ADD COLUMN is_action INTEGER NOT NULL DEFAULT 0 CHECK (is_action IN (0, 1))
                """)
        }
    }
}
