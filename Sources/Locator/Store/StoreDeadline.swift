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
    try await withThrowingTaskGroup(of: Value.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw StoreUnavailable(description: "\(what): no answer within \(limit)")
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw CancellationError() }
        return first
    }
}
