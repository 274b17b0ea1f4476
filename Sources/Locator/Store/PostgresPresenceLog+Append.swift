import ChatWire
import PostgresNIO

extension PostgresPresenceLog {
    /// Appends `batch` to the log in one transaction with one NOTIFY carrying its last sequence
    /// (a commit with a NOTIFY takes a global lock: one per batch, not one per change), and sets
    /// each user's final state in the presence table in the same transaction.
    func append(_ batch: [PresenceChange]) async throws {
        let log = try Self.logInsert(batch, replica: replica)
        var finals: [String: PresenceChange] = [:]
        for change in batch { finals[change.user] = change }
        let online = finals.values.filter { $0.address != nil }.sorted { $0.user < $1.user }
        let offline = finals.values.filter { $0.address == nil }.map(\.user).sorted()
        let upsert = try online.isEmpty ? nil : Self.presenceUpsert(online, replica: replica)
        try await withStoreDeadline(
            quiet: PostgresLocatorStore.requestLimit, ceiling: PostgresLocatorStore.requestCeiling, progress: progress,
            "sharing presence"
        ) { [client, logger] in
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.appendLock))", logger: logger)
                var sequence: Int64 = 0
                for try await value in try await connection.query(log, logger: logger).decode(Int64.self) {
                    sequence = max(sequence, value)
                }
                if let upsert { try await connection.query(upsert, logger: logger) }
                if !offline.isEmpty {
                    try await connection.query("DELETE FROM presence WHERE user_name = ANY(\(offline))", logger: logger)
                }
                try await connection.query("SELECT pg_notify(\(Self.channel), \(String(sequence)))", logger: logger)
            }
        }
    }

    /// `INSERT … VALUES (…), (…) RETURNING seq`: the rows take their sequences in this order.
    private static func logInsert(_ batch: [PresenceChange], replica: String) throws -> PostgresQuery {
        let (rows, binds) = try values(batch, replica: replica)
        return PostgresQuery(
            unsafeSQL: """
                INSERT INTO presence_change (user_name, replica, host, port, fingerprint)
                VALUES \(rows) RETURNING seq
                """, binds: binds)
    }

    /// Who is online on this replica now, one row per user (a batch's last change of each).
    private static func presenceUpsert(_ online: [PresenceChange], replica: String) throws -> PostgresQuery {
        let (rows, binds) = try values(online, replica: replica)
        return PostgresQuery(
            unsafeSQL: """
                INSERT INTO presence (user_name, replica, host, port, fingerprint)
                VALUES \(rows)
                ON CONFLICT (user_name) DO UPDATE SET replica = excluded.replica, host = excluded.host,
                    port = excluded.port, fingerprint = excluded.fingerprint
                """, binds: binds)
    }

    /// `(user, replica, host, port, fingerprint)` rows of a `VALUES` list, and their parameters.
    private static func values(_ changes: [PresenceChange], replica: String) throws -> (String, PostgresBindings) {
        var binds = PostgresBindings(capacity: changes.count * 5)
        var rows: [String] = []
        for change in changes {
            let first = binds.count + 1
            try binds.append(change.user)
            try binds.append(replica)
            try binds.append(change.address?.host)
            try binds.append(change.address?.port)
            try binds.append(change.address?.fingerprint)
            rows.append("($\(first), $\(first + 1), $\(first + 2)::text, $\(first + 3)::integer, $\(first + 4)::text)")
        }
        return (rows.joined(separator: ", "), binds)
    }
}
