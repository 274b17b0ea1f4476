import ChatWire
import Foundation
import Logging
import NIOPosix
import PostgresNIO

/// Presence shared by the replicas over one PostgreSQL: each replica appends its own changes to
/// a log ordered by sequence and notifies with the sequence alone; each listens on a connection
/// of its own and, on every notification and after every (re)connection, reads the log from the
/// last sequence it has seen. A notification is never replayed, the log is: a replica that was
/// away misses nothing.
final class PostgresPresenceLog: Sendable {
    static let channel = "p2pchat_presence"
    /// The lock that orders appends: a sequence number is taken and committed under it, so a
    /// reader never sees a later number before an earlier one has committed.
    static let appendLock: Int64 = 0x7032_7063_6861_7402

    /// The lock whose holder sweeps, so that one replica at a time does.
    static let sweepLock: Int64 = 0x7032_7063_6861_7403
    /// How often a replica says it is alive, and sweeps when it holds the lock.
    static let heartbeatInterval: Duration = .seconds(3)
    /// A replica silent this long, by the database's clock, is dead: its users go offline. With
    /// the interval above, a dead replica's users are offline everywhere within 13 s.
    static let leaseSeconds = 10

    /// This replica's name in the log; its own changes are not read back.
    let replica = UUID().uuidString.lowercased()
    private let client: PostgresClient
    private let settings: PostgresStoreSettings
    private let logger: Logger
    private let outbox: AsyncStream<PresenceChange>.Continuation
    private let changes: AsyncStream<PresenceChange>

    init(client: PostgresClient, settings: PostgresStoreSettings, logger: Logger) {
        self.client = client
        self.settings = settings
        self.logger = logger
        (changes, outbox) = AsyncStream.makeStream(of: PresenceChange.self)
    }

    /// Queues a change of this replica's, to be appended in order.
    func publish(_ change: PresenceChange) {
        outbox.yield(change)
    }

    /// Appends this replica's changes and applies the others' until cancelled.
    func run(apply: @escaping @Sendable ([PresenceChange]) async -> Void) async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.appendLoop() }
            group.addTask { await self.listenLoop(apply: apply) }
            group.addTask { await self.heartbeatLoop() }
        }
    }

    /// Renews this replica's lease, and sweeps the dead replicas' users when no other replica is
    /// sweeping. Leases are in the database's clock: a replica whose clock runs behind does not
    /// end the others' early.
    private func heartbeatLoop() async {
        while !Task.isCancelled {
            do {
                try await withStoreDeadline(PostgresLocatorStore.requestLimit, "renewing the lease") { [self] in
                    try await heartbeat()
                    try await sweep()
                }
            } catch {
                logger.warning("lease not renewed", metadata: ["error": "\(storeErrorText(error))"])
            }
            try? await Task.sleep(for: Self.heartbeatInterval)
        }
    }

    private func heartbeat() async throws {
        _ = try await client.query(
            """
            INSERT INTO replica (id) VALUES (\(replica))
            ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()
            """)
    }

    /// Ends the dead replicas: each of their users whose last change was an "online" gets an
    /// "offline" in the dead replica's name, so every live replica, this one too, applies it.
    private func sweep() async throws {
        try await client.withTransaction(logger: logger) { [logger] connection in
            var holding = false
            for try await got in try await connection.query("SELECT pg_try_advisory_xact_lock(\(Self.sweepLock))", logger: logger)
                .decode(Bool.self)
            {
                holding = got
            }
            guard holding else { return }
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.appendLock))", logger: logger)
            let rows = try await connection.query(
                """
                WITH dead AS (
                    DELETE FROM replica WHERE heartbeat_at < now() - make_interval(secs => \(Self.leaseSeconds)) RETURNING id
                ), latest AS (
                    SELECT DISTINCT ON (user_name) user_name, replica, host FROM presence_change ORDER BY user_name, seq DESC
                )
                INSERT INTO presence_change (user_name, replica)
                SELECT user_name, replica FROM latest WHERE host IS NOT NULL AND replica IN (SELECT id FROM dead)
                RETURNING seq
                """, logger: logger)
            var last: Int64?
            for try await seq in rows.decode(Int64.self) { last = max(last ?? seq, seq) }
            if let last {
                try await connection.query("SELECT pg_notify(\(Self.channel), \(String(last)))", logger: logger)
                logger.notice("a dead replica's users went offline", metadata: ["through": "\(last)"])
            }
        }
    }

    /// Gives up this replica's lease at once, on a clean stop: the next sweep, by any replica,
    /// takes its users offline.
    func retire() async {
        let replica = replica
        _ = try? await withStoreDeadline(.seconds(2), "retiring") { [client] in
            _ = try await client.query("UPDATE replica SET heartbeat_at = '-infinity' WHERE id = \(replica)")
        }
    }

    private func appendLoop() async {
        for await change in changes {
            // In order, each until it is in: a change dropped while PostgreSQL restarts would
            // leave the other replicas wrong until the user's next change.
            while !Task.isCancelled {
                do {
                    try await append(change)
                    break
                } catch {
                    logger.warning("presence not shared yet; retrying", metadata: ["error": "\(storeErrorText(error))"])
                    try? await Task.sleep(for: .milliseconds(500))
                }
            }
            if Task.isCancelled { return }
        }
    }

    /// One change, one transaction, one NOTIFY carrying its sequence.
    private func append(_ change: PresenceChange) async throws {
        let replica = replica
        let address = change.address
        try await withStoreDeadline(PostgresLocatorStore.requestLimit, "sharing presence") { [client, logger] in
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.appendLock))", logger: logger)
                let rows = try await connection.query(
                    """
                    INSERT INTO presence_change (user_name, replica, host, port, fingerprint)
                    VALUES (\(change.user), \(replica), \(address?.host), \(address?.port), \(address?.fingerprint))
                    RETURNING seq
                    """, logger: logger)
                var sequence: Int64 = 0
                for try await value in rows.decode(Int64.self) { sequence = value }
                try await connection.query("SELECT pg_notify(\(Self.channel), \(String(sequence)))", logger: logger)
            }
        }
    }

    private func listenLoop(apply: @escaping @Sendable ([PresenceChange]) async -> Void) async {
        var last: Int64 = 0
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.any(), configuration: try settings.connectionConfiguration(),
                    id: 1, logger: logger
                ).get()
                do {
                    // The notifications do not end when the task is cancelled; closing the connection ends them.
                    try await withTaskCancellationHandler {
                        try await connection.listen(on: Self.channel) { notifications in
                            // Listening now: whatever committed before is in the log, whatever after is notified.
                            last = try await catchUp(after: last, apply: apply)
                            for try await _ in notifications {
                                last = try await catchUp(after: last, apply: apply)
                            }
                        }
                    } onCancel: {
                        let _: EventLoopFuture<Void> = connection.close()
                    }
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if Task.isCancelled { return }
                logger.warning("presence listener lost PostgreSQL; reconnecting", metadata: ["error": "\(storeErrorText(error))"])
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    /// Applies the changes after `sequence`, this replica's own among them (marked); the last
    /// sequence read.
    private func catchUp(after sequence: Int64, apply: @Sendable ([PresenceChange]) async -> Void) async throws -> Int64 {
        let rows = try await client.query(
            """
            SELECT seq, user_name, replica, host, port, fingerprint FROM presence_change
            WHERE seq > \(sequence) ORDER BY seq
            """)
        var last = sequence
        var changes: [PresenceChange] = []
        for try await (seq, user, replica, host, port, fingerprint) in rows.decode((Int64, String, String, String?, Int?, String?).self) {
            last = seq
            changes.append(PresenceChange(
                user: user, address: host.map { PeerAddress(host: $0, port: port, fingerprint: fingerprint) },
                isOwn: replica == self.replica))
        }
        if !changes.isEmpty { await apply(changes) }
        return last
    }
}
