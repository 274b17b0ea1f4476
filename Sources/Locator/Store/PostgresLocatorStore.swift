import Logging
import NIOPosix
import PostgresNIO
import Synchronization

/// The accounts in a PostgreSQL database, which several locator replicas share.
///
/// Every request has a deadline: while the database is down or restarting, a login gets `ERR
/// server` within it instead of waiting, and the pool reconnects by itself once it is back.
public final class PostgresLocatorStore: LocatorStore {
    public let location: String
    private let client: PostgresClient
    /// Runs the pool. The client needs a task of its own for its whole life; this store is its
    /// owner, and `close` ends it.
    private let running: Task<Void, Never>
    private let logger: Logger
    /// Presence shared with the other replicas.
    let presence: PostgresPresenceLog
    /// Runs `presence` once `sharePresence` has started it; `close` ends it.
    private let sharing = Mutex<Task<Void, Never>?>(nil)

    /// How long a request may wait while the database answers nothing of this replica's: a
    /// database that is down gives a login `ERR server` within it.
    static let requestLimit: Duration = .seconds(5)
    /// How long a request may take in all, waiting for a pooled connection behind others that
    /// are being answered (a reconnect storm) included.
    static let requestCeiling: Duration = .seconds(60)
    /// When the database last answered: a request queued behind a storm is not late while it does.
    let progress = StoreProgress()
    /// How long opening may take: reaching the server and migrating.
    static let openLimit: Duration = .seconds(15)

    private init(settings: PostgresStoreSettings, logger: Logger) {
        location = settings.description
        self.logger = logger
        client = PostgresClient(configuration: settings.clientConfiguration(), backgroundLogger: logger)
        running = Task { [client] in await client.run() }
        presence = PostgresPresenceLog(client: client, settings: settings, progress: progress, logger: logger)
    }

    /// Starts sharing presence: this replica's changes go to `presence.publish`, the others'
    /// come to `apply`, in the order they were made. `republish` says who this replica has
    /// online, for when it was swept as dead and comes back.
    func sharePresence(
        apply: @escaping @Sendable (PresenceUpdate) async -> Void,
        republish: @escaping @Sendable () async -> [PresenceChange]
    ) {
        let presence = presence
        sharing.withLock { task in
            guard task == nil else { return }
            task = Task { await presence.run(apply: apply, republish: republish) }
        }
    }

    /// Connects, brings the schema up to date, and returns the store; a clear error naming the
    /// URL (never the password) when the database cannot be reached or used.
    public static func open(_ settings: PostgresStoreSettings, logger: Logger) async throws -> PostgresLocatorStore {
        let store = PostgresLocatorStore(settings: settings, logger: logger)
        do {
            let client = store.client
            try await withStoreDeadline(openLimit, "connecting to \(settings)") {
                // One connection of its own first: the pool retries a refused connection or a wrong
                // password quietly, and the operator should read the server's reason instead.
                let probe = try await PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.any(), configuration: try settings.connectionConfiguration(),
                    id: 0, logger: logger
                ).get()
                do {
                    try await settings.checkCapacity(on: probe, logger: logger)
                } catch {
                    try? await probe.close()
                    throw error
                }
                try await probe.close()
                try await PostgresMigrations.apply(on: client, logger: logger)
            }
        } catch {
            try? await store.close()
            throw AccountStore.Error.cannotOpen(path: settings.description, reason: storeErrorText(error))
        }
        return store
    }

    /// Runs one request against the pool: `StoreUnavailable` when the database answers nothing
    /// for `requestLimit` meanwhile, or the request takes `requestCeiling` in all.
    func request<Value: Sendable>(
        _ what: String, _ body: @escaping @Sendable (PostgresClient) async throws -> Value
    ) async throws -> Value {
        let client = client
        return try await withStoreDeadline(quiet: Self.requestLimit, ceiling: Self.requestCeiling, progress: progress, what) {
            try await body(client)
        }
    }

    public func passwordHash(of user: String) async throws -> String? {
        try await request("reading an account") { client in
            let rows = try await client.query("SELECT password_hash FROM account WHERE name = \(user)")
            for try await hash in rows.decode(String.self) { return hash }
            return nil
        }
    }

    public func noteLogin(of user: String) async throws {
        try await request("noting a login") { client in
            _ = try await client.query("UPDATE account SET last_login_at = now() WHERE name = \(user)")
        }
    }

    public func insertAccount(_ user: String, passwordHash: String) async throws -> Bool {
        try await request("registering an account") { client in
            let rows = try await client.query(
                """
                INSERT INTO account (name, password_hash, last_login_at) VALUES (\(user), \(passwordHash), now())
                ON CONFLICT (name) DO NOTHING RETURNING name
                """)
            for try await _ in rows.decode(String.self) { return true }
            return false
        }
    }

    public func accountCount() async throws -> Int {
        try await request("counting accounts") { client in
            for try await count in try await client.query("SELECT count(*) FROM account").decode(Int.self) {
                return count
            }
            return 0
        }
    }

    /// Expiry by the database's clock (`now()`), the same for every replica whatever its own clock says.
    public func saveResumeToken(_ digest: String, of user: String, lifetime: Duration, kept: Int) async throws {
        let seconds = Double(lifetime.components.seconds) + Double(lifetime.components.attoseconds) / 1e18
        let older = max(0, kept - 1)
        try await request("keeping a resumption token") { client in
            // One statement: the DELETE sees the table as it was before the INSERT.
            _ = try await client.query(
                """
                WITH added AS (
                    INSERT INTO resume_token (digest, user_name, expires_at)
                    VALUES (\(digest), \(user), now() + make_interval(secs => \(seconds)))
                    RETURNING digest
                )
                DELETE FROM resume_token WHERE user_name = \(user) AND (expires_at <= now() OR digest NOT IN (
                    SELECT digest FROM resume_token WHERE user_name = \(user) ORDER BY expires_at DESC LIMIT \(older)))
                """)
        }
    }

    public func spendResumeToken(_ digest: String, of user: String) async throws -> Bool {
        try await request("spending a resumption token") { client in
            let rows = try await client.query(
                """
                DELETE FROM resume_token WHERE digest = \(digest) AND user_name = \(user) AND expires_at > now()
                RETURNING user_name
                """)
            for try await _ in rows.decode(String.self) { return true }
            return false
        }
    }

    public func revokeResumeTokens(of user: String) async throws {
        try await request("revoking resumption tokens") { client in
            _ = try await client.query("DELETE FROM resume_token WHERE user_name = \(user)")
        }
    }

    /// Closes the pool's connections (every write was committed when it was answered).
    public func close() async throws {
        if let task = sharing.withLock({ $0 }) {
            await presence.retire()
            task.cancel()
            await task.value
        }
        running.cancel()
        await running.value
    }
}
