import Logging
import PostgresNIO

/// The PostgreSQL store's schema, in versions. Add-only: a migration that has shipped is never
/// edited; a change is a new one, appended with the next number.
enum PostgresMigrations {
    struct Migration {
        let version: Int
        let name: String
        let statements: [String]
    }

    static let all: [Migration] = [
        Migration(version: 1, name: "accounts", statements: [
            """
            CREATE TABLE account (
                name text PRIMARY KEY,
                password_hash text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                last_login_at timestamptz
            )
            """,
        ]),
        // Presence is soft state, rebuilt by clients logging in again: unlogged, no WAL.
        Migration(version: 2, name: "presence change log", statements: [
            """
            CREATE UNLOGGED TABLE presence_change (
                seq bigserial PRIMARY KEY,
                user_name text NOT NULL,
                replica text NOT NULL,
                host text,
                port integer,
                fingerprint text,
                at timestamptz NOT NULL DEFAULT now()
            )
            """,
        ]),
        Migration(version: 3, name: "replica heartbeats", statements: [
            "CREATE UNLOGGED TABLE replica (id text PRIMARY KEY, heartbeat_at timestamptz NOT NULL DEFAULT now())",
        ]),
        // The log is pruned: who is online now is kept beside it, written in the same transaction
        // as each change, for a replica that starts or was away longer than the log keeps. Each
        // replica says how far it has read, so that what all have read can go.
        Migration(version: 4, name: "presence table and log pruning", statements: [
            """
            CREATE UNLOGGED TABLE presence (
                user_name text PRIMARY KEY,
                replica text NOT NULL,
                host text NOT NULL,
                port integer,
                fingerprint text
            )
            """,
            """
            INSERT INTO presence (user_name, replica, host, port, fingerprint)
            SELECT user_name, replica, host, port, fingerprint FROM (
                SELECT DISTINCT ON (user_name) user_name, replica, host, port, fingerprint
                FROM presence_change ORDER BY user_name, seq DESC
            ) latest WHERE host IS NOT NULL
            """,
            "CREATE INDEX presence_by_replica ON presence (replica)",
            "ALTER TABLE replica ADD COLUMN read_through bigint NOT NULL DEFAULT 0",
        ]),
        // The replicas' one TLS identity, sealed under the key of --store-key-file; one row at most.
        Migration(version: 5, name: "shared identity", statements: [
            """
            CREATE TABLE locator_identity (
                id integer PRIMARY KEY CHECK (id = 1),
                sealed bytea NOT NULL,
                fingerprint text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
        ]),
        // Resumption tokens, as digests; kept through a restart (logged), so that the clients of a
        // replica that died can still come back cheaply once the database is up again.
        Migration(version: 6, name: "resume tokens", statements: [
            """
            CREATE TABLE resume_token (
                digest text PRIMARY KEY,
                user_name text NOT NULL REFERENCES account (name) ON DELETE CASCADE,
                expires_at timestamptz NOT NULL
            )
            """,
            "CREATE INDEX resume_token_by_user ON resume_token (user_name, expires_at)",
        ]),
    ]

    /// Any number, the same in every replica: the lock under which one replica at a time migrates.
    static let lockKey: Int64 = 0x7032_7063_6861_7401

    /// Brings the schema up to date in one transaction, under an advisory lock, so that replicas
    /// starting together migrate once. A database migrated by a newer locator is refused rather
    /// than used with a schema this one does not know.
    static func apply(on client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS locator_schema (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, logger: logger)
            var applied = Set<Int>()
            for try await version in try await connection.query("SELECT version FROM locator_schema", logger: logger)
                .decode(Int.self)
            {
                applied.insert(version)
            }
            if let newest = applied.max(), newest > (all.last?.version ?? 0) {
                throw StoreUnavailable(
                    description: "the database has schema version \(newest), newer than this locator's \(all.last?.version ?? 0); upgrade the locator")
            }
            for migration in all where !applied.contains(migration.version) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO locator_schema (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger)
                logger.info("database migrated", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            }
        }
    }
}
