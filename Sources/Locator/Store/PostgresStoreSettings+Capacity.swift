import Logging
import PostgresNIO

extension PostgresStoreSettings {
    /// Connections one replica holds: the pool (logins, presence appends, heartbeat and sweep)
    /// and the connection that listens for presence changes.
    public var connectionsPerReplica: Int { poolSize + 1 }

    /// Refuses a pool the server cannot hold even for this replica alone, in one line: PostgreSQL
    /// would refuse connections under load instead ("too many clients already"), and logins would
    /// fail at random. Four replicas at the default pool of 20 take 84 of the default 100 (less
    /// the 3 kept for superusers).
    func checkCapacity(on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query(
            """
            SELECT current_setting('max_connections')::integer, current_setting('superuser_reserved_connections')::integer
            """, logger: logger)
        for try await (maximum, reserved) in rows.decode((Int, Int).self) {
            let available = maximum - reserved
            guard connectionsPerReplica <= available else {
                throw StoreUnavailable(description: """
                    --store-pool-size \(poolSize) needs \(connectionsPerReplica) connections with the listener, but the \
                    server allows \(available) (max_connections \(maximum) less \(reserved) reserved); lower \
                    --store-pool-size or raise max_connections
                    """)
            }
            let replicas = available / connectionsPerReplica
            logger.info(
                "PostgreSQL connections", metadata: [
                    "per-replica": "\(connectionsPerReplica)", "server-allows": "\(available)", "replicas-that-fit": "\(replicas)",
                ])
        }
    }
}
