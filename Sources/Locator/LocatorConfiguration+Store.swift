import Logging

extension LocatorConfiguration {
    /// Opens the store the configuration names: PostgreSQL when `postgres` is set, else the
    /// SQLite file at `databasePath`.
    func openStore(logger: Logger) async throws -> any LocatorStore {
        if let postgres {
            return try await PostgresLocatorStore.open(postgres, logger: logger)
        }
        return try SQLiteLocatorStore(path: databasePath)
    }
}
