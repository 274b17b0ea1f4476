import ChatWire
import PostgresNIO

extension PostgresPresenceLog {
    /// Appends `batch` to the log in one transaction with one NOTIFY carrying its last sequence,
    /// and sets each user's final state in the presence table in the same transaction.
    func append(_ batch: [PresenceChange]) async throws {
        let log = try Self.logInsert(batch, replica: replica)
        var finals: [String: PresenceChange] = [:]
        for change in batch { finals[change.user] = change }
        let online = finals.values.filter { $0.address != nil }.sorted { $0.user < $1.user }
        let offline = finals.values.filter { $0.address == nil }.map(\.user).sorted()
        let upsert = try online.isEmpty ? nil : Self.presenceUpsert(online, replica: replica)
        try await underAppendLock { [logger] connection in
            var sequence: Int64?
            for try await value in try await connection.query(log, logger: logger).decode(Int64.self) {
                sequence = max(sequence ?? value, value)
            }
            if let upsert { try await connection.query(upsert, logger: logger) }
            if !offline.isEmpty {
                try await connection.query("DELETE FROM presence WHERE user_name = ANY(\(offline))", logger: logger)
            }
            return sequence
        }
    }

    /// Appends this replica's users again after it was swept as dead, each only if no other
    /// replica holds her now: one statement under the append lock takes the users that are
    /// nobody's (or still this replica's) and logs only those. A login elsewhere that committed
    /// before it keeps its user; one that commits after it is newer anyway.
    func appendReturns(_ batch: [PresenceChange]) async throws {
        var finals: [String: PresenceChange] = [:]
        for change in batch where change.address != nil { finals[change.user] = change }
        guard !finals.isEmpty else { return }
        let (rows, binds) = try Self.values(finals.values.sorted { $0.user < $1.user }, replica: replica)
        let returns = PostgresQuery(
            unsafeSQL: """
                WITH returning_users (user_name, replica, host, port, fingerprint) AS (VALUES \(rows)),
                taken AS (
                    INSERT INTO presence (user_name, replica, host, port, fingerprint)
                    SELECT user_name, replica, host, port, fingerprint FROM returning_users
                    ON CONFLICT (user_name) DO UPDATE SET host = excluded.host, port = excluded.port,
                        fingerprint = excluded.fingerprint
                    WHERE presence.replica = excluded.replica
                    RETURNING user_name, replica, host, port, fingerprint
                )
                INSERT INTO presence_change (user_name, replica, host, port, fingerprint)
                SELECT user_name, replica, host, port, fingerprint FROM taken ORDER BY user_name
                RETURNING seq
                """, binds: binds)
        let taken = try await underAppendLock { [logger] connection in
            var sequence: Int64?
            for try await value in try await connection.query(returns, logger: logger).decode(Int64.self) {
                sequence = max(sequence ?? value, value)
            }
            return sequence
        }
        if taken == nil {
            logger.notice("every returning user had logged in on another replica meanwhile", metadata: ["users": "\(finals.count)"])
        }
    }

    /// Runs `body` in one transaction under the lock that orders appends; `body` returns the last
    /// sequence it appended, which one NOTIFY carries (a commit with a NOTIFY takes a global lock:
    /// one per batch, not one per change). The last sequence, `nil` when nothing was appended.
    @discardableResult
    private func underAppendLock(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Int64?
    ) async throws -> Int64? {
        try await withAppendLock("sharing presence") { [logger] connection in
            let sequence = try await body(connection)
            if let sequence {
                try await connection.query("SELECT pg_notify(\(Self.channel), \(String(sequence)))", logger: logger)
            }
            return sequence
        }
    }

    /// Runs `body` in one transaction that holds the lock ordering appends (and sweeps): what it
    /// reads comes after every append committed before, and before every one after.
    func withAppendLock<Value: Sendable>(
        _ what: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        try await withStoreDeadline(
            quiet: PostgresLocatorStore.requestLimit, ceiling: PostgresLocatorStore.requestCeiling, progress: progress, what
        ) { [client, logger] in
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.appendLock))", logger: logger)
                return try await body(connection)
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
