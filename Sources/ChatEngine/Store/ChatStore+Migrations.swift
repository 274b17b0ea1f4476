import GRDB

extension ChatStore {
    /// The schema, as a list of named migrations: each part registers its own tables.
    ///
    /// The identifiers are recorded in the file (`grdb_migrations`): never
    /// rename or edit a migration that has shipped. A schema change is a new
    /// `registerMigration` call after the part's others, which existing files
    /// pick up the next time they open. GRDB applies what a file lacks in the
    /// order registered here, whatever order it was applied in before (the
    /// friends' and messages' tables were the core's once, in one list).
    ///
    /// Conventions: times are Unix milliseconds (INTEGER, UTC); enums are their
    /// Swift raw values (TEXT), checked by the schema so that a bug cannot
    /// store a value the decoder would reject.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        // In the order the parts are registered: a part's tables may refer to an earlier part's.
        for part in EngineParts.all {
            part.registerMigrations(in: &migrator)
        }

        return migrator
    }
}
