import PostgresNIO
import Synchronization

extension PostgresPresenceLog {
    /// Asks who holds `users` now, this replica's own users whom a snapshot showed on another
    /// replica. The answer comes through `apply` (`.contested`) once every change this replica
    /// queued before is appended: a login of its own still queued is newer than the snapshot,
    /// and must not yield to it.
    func contest(_ users: [String]) {
        guard !users.isEmpty else { return }
        contested.withLock { $0.formUnion(users) }
        wake.yield()
    }

    /// Which of `users` another replica holds in the presence table. Under the append lock, after
    /// this replica's own appends: an append always takes the row, so a row another replica still
    /// holds was written by a login there after this replica's last change of the user. One
    /// lookup by name each, whatever the number of users online.
    func heldElsewhere(_ users: [String]) async throws -> Set<String> {
        let replica = replica
        return try await withAppendLock("looking up contested users") { [logger] connection in
            var held = Set<String>()
            let rows = try await connection.query(
                "SELECT user_name FROM presence WHERE user_name = ANY(\(users)) AND replica <> \(replica)", logger: logger)
            for try await user in rows.decode(String.self) { held.insert(user) }
            return held
        }
    }
}
