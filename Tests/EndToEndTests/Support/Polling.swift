/// Polls `probe` every `interval` until it gives a value or `timeout` passes; nil on timeout.
///
/// Sleeping between polls keeps the Swift concurrency pool free for the rest of the test.
func poll<Value>(
    timeout: Duration, every interval: Duration = .milliseconds(25), _ probe: () async throws -> Value?
) async rethrows -> Value? {
    let deadline = ContinuousClock.now + timeout
    while true {
        if let value = try await probe() { return value }
        guard ContinuousClock.now < deadline else { return nil }
        try? await Task.sleep(for: interval)
    }
}
