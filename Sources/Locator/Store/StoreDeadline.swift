/// The database did not answer in time, or not at all.
public struct StoreUnavailable: Error, CustomStringConvertible {
    public var description: String
}

/// Runs `body`, and throws `StoreUnavailable` when it takes longer than `limit`: a database that
/// is down or restarting gives a login a clear error soon, never a hang (a connection pool waits
/// for a connection as long as it is asked to).
func withStoreDeadline<Value: Sendable>(
    _ limit: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    try await withStoreDeadline(quiet: limit, ceiling: limit, progress: nil, what, body)
}

/// Runs `body` (one request to the database, waiting for a pooled connection first), and throws
/// `StoreUnavailable` once the database has answered nothing of this replica's for `quiet`
/// since `body` started, or after `ceiling` in all. So a request queued behind a storm of others
/// waits its turn while they are being answered, and a database that is down or restarting still
/// gives a login a clear error within `quiet`, never a hang.
func withStoreDeadline<Value: Sendable>(
    quiet: Duration, ceiling: Duration, progress: StoreProgress?, _ what: String,
    _ body: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    try await withThrowingTaskGroup(of: Value.self) { group in
        group.addTask {
            let value = try await body()
            progress?.noteAnswer()
            return value
        }
        group.addTask {
            let start = ContinuousClock.now
            while true {
                let quietSince = max(start, progress?.lastAnswer ?? start)
                let due = min(quietSince + quiet, start + ceiling)
                guard ContinuousClock.now < due else {
                    let waited = ContinuousClock.now - start
                    throw StoreUnavailable(
                        description: waited >= ceiling
                            ? "\(what): no answer within \(ceiling)" : "\(what): the database answered nothing for \(quiet)")
                }
                try await Task.sleep(until: due, clock: .continuous)
            }
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw CancellationError() }
        return first
    }
}
