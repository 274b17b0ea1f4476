import ChatWire
import Foundation
import Logging
import NIOPosix
import PostgresNIO
import Synchronization

/// Presence shared by the replicas over one PostgreSQL: each replica appends its own changes to
/// a log ordered by sequence and notifies with the sequence alone; each listens on a connection
/// of its own and, on every notification and after every (re)connection, reads the log from the
/// last sequence it has seen. A notification is never replayed, the log is: a replica that was
/// away misses nothing.
///
/// The log does not grow for ever: the sweeper deletes what every live replica has read, and
/// what is older than `logKeepsSeconds` whoever has read it. Who is online now is kept beside it
/// (`presence`), so a replica that starts, or was away longer than the log keeps, loads that
/// table in full instead of missing changes.
///
/// Every time here is the database's (`now()`): a replica whose clock runs behind or ahead
/// neither ends the others' leases early nor keeps a dead one alive.
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
    /// Changes older than this are pruned even when a replica has not read them: one that lags
    /// this far loads the presence table instead.
    static let logKeepsSeconds = 300
    /// Changes appended in one transaction at most (five parameters each).
    static let appendBatch = 500

    /// This replica's name in the log; its own changes are not read back.
    let replica = UUID().uuidString.lowercased()
    let client: PostgresClient
    private let settings: PostgresStoreSettings
    let logger: Logger
    /// When the database last answered this replica (shared with the store's requests).
    let progress: StoreProgress
    /// Changes waiting to be appended, and the wake-up of the loop that appends them.
    let pending = Mutex<[PresenceChange]>([])
    /// This replica's users that a snapshot showed on another replica, to be looked up once the
    /// changes pending before are appended (see `contest`).
    let contested = Mutex<Set<String>>([])
    let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>
    /// The last sequence this replica has read, told to the others with each heartbeat.
    let readThrough = Atomic<Int64>(0)

    init(client: PostgresClient, settings: PostgresStoreSettings, progress: StoreProgress, logger: Logger) {
        self.client = client
        self.settings = settings
        self.progress = progress
        self.logger = logger
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a change of this replica's, to be appended in order.
    func publish(_ change: PresenceChange) {
        pending.withLock { $0.append(change) }
        wake.yield()
    }

    /// Appends this replica's changes and applies the others' until cancelled; `republish` says
    /// who this replica has online (see `heartbeatLoop`).
    func run(
        apply: @escaping @Sendable (PresenceUpdate) async -> Void,
        republish: @escaping @Sendable () async -> [PresenceChange]
    ) async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.appendLoop(apply: apply) }
            group.addTask { await self.listenLoop(apply: apply) }
            group.addTask { await self.heartbeatLoop(republish: republish) }
        }
    }

    /// Renews this replica's lease, and sweeps when no other replica is sweeping.
    ///
    /// A replica that was silent longer than the lease (its process paused, its machine
    /// suspended, its network cut) was swept as dead meanwhile: its users went offline
    /// everywhere, though their connections here may still be open. When its heartbeat finds its
    /// row gone, it publishes its users again, except those who logged in on another replica
    /// meanwhile (that newer login wins, and reaches this replica through the log).
    private func heartbeatLoop(republish: @escaping @Sendable () async -> [PresenceChange]) async {
        var beaten = false
        while !Task.isCancelled {
            do {
                let returned = try await withStoreDeadline(
                    quiet: PostgresLocatorStore.requestLimit, ceiling: PostgresLocatorStore.requestCeiling, progress: progress,
                    "renewing the lease"
                ) { [self] in
                    let wasGone = try await heartbeat()
                    try await sweep()
                    return wasGone
                }
                if returned, beaten { comeBack(republish: await republish()) }
                beaten = true
            } catch {
                logger.warning("lease not renewed", metadata: ["error": "\(storeErrorText(error))"])
            }
            try? await Task.sleep(for: Self.heartbeatInterval)
        }
    }

    /// Publishes `own` again after this replica was swept as dead, each user only if no other
    /// replica holds her when it is written (see `appendReturns`): a check made before, apart
    /// from that write, would let a login elsewhere in between be taken back.
    private func comeBack(republish own: [PresenceChange]) {
        logger.notice(
            "this replica was taken for dead while it was silent; its users are online again, but for those who logged in elsewhere",
            metadata: ["users": "\(own.count)"])
        guard !own.isEmpty else { return }
        pending.withLock { pending in
            pending.append(contentsOf: own.map { change in
                var change = change
                change.isReturn = true
                return change
            })
        }
        wake.yield()
    }

    /// Renews the lease; whether this replica's row was gone (swept, or never written before).
    private func heartbeat() async throws -> Bool {
        let read = readThrough.load(ordering: .relaxed)
        // `xmax = 0` on the returned row: it was inserted, not updated.
        let rows = try await client.query(
            """
            INSERT INTO replica (id, read_through) VALUES (\(replica), \(read))
            ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), read_through = excluded.read_through
            RETURNING (xmax = 0)
            """)
        var inserted = false
        for try await value in rows.decode(Bool.self) { inserted = value }
        return inserted
    }

    /// Ends the dead replicas: each of their users gets an "offline" in the dead replica's name,
    /// so every live replica, this one too, applies it. Then prunes the log.
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
                ), gone AS (
                    DELETE FROM presence WHERE replica IN (SELECT id FROM dead) RETURNING user_name, replica
                )
                INSERT INTO presence_change (user_name, replica) SELECT user_name, replica FROM gone
                RETURNING seq
                """, logger: logger)
            var last: Int64?
            for try await seq in rows.decode(Int64.self) { last = max(last ?? seq, seq) }
            if let last {
                try await connection.query("SELECT pg_notify(\(Self.channel), \(String(last)))", logger: logger)
                logger.notice("a dead replica's users went offline", metadata: ["through": "\(last)"])
            }
            // The newest change stays, so that a reader can tell a pruned log from an empty one.
            try await connection.query(
                """
                DELETE FROM presence_change
                WHERE seq < (SELECT max(seq) FROM presence_change)
                  AND (seq <= (SELECT coalesce(min(read_through), 0) FROM replica)
                       OR at < now() - make_interval(secs => \(Self.logKeepsSeconds)))
                """, logger: logger)
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

    /// Appends the pending changes in order; then looks up the contested users, so that the
    /// lookup follows every change queued before the contest.
    private func appendLoop(apply: @escaping @Sendable (PresenceUpdate) async -> Void) async {
        for await _ in wakes {
            while !Task.isCancelled {
                // A batch is all returns or none: they are written by a statement of their own.
                let batch = pending.withLock { pending in
                    let kind = pending.first?.isReturn
                    let batch = Array(pending.prefix(Self.appendBatch).prefix { $0.isReturn == kind })
                    pending.removeFirst(batch.count)
                    return batch
                }
                if batch.isEmpty { break }
                // In order, each batch until it is in.
                _ = await untilDone {
                    if batch.first?.isReturn == true { try await self.appendReturns(batch) } else { try await self.append(batch) }
                }
            }
            let users = contested.withLock { contested in
                defer { contested.removeAll() }
                return contested.sorted()
            }
            if !users.isEmpty, let elsewhere = await untilDone({ try await self.heldElsewhere(users) }) {
                await apply(.contested(users, elsewhere: elsewhere))
            }
            if Task.isCancelled { return }
        }
    }

    /// Runs `request` until it succeeds, or until the task is cancelled (`nil`): a change or a
    /// lookup dropped while PostgreSQL restarts would leave the replicas wrong until the user's
    /// next change.
    private func untilDone<Value: Sendable>(_ request: () async throws -> Value) async -> Value? {
        while !Task.isCancelled {
            do {
                return try await request()
            } catch {
                logger.warning("presence not shared yet; retrying", metadata: ["error": "\(storeErrorText(error))"])
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
        return nil
    }

    private func listenLoop(apply: @escaping @Sendable (PresenceUpdate) async -> Void) async {
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
}
