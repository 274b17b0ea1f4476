/// Polls `probe` every `interval` until it gives a value or `timeout` passes; nil on timeout.
///
/// Sleeping between polls keeps the Swift concurrency pool free for the rest of the test. A cancelled
/// task (a test over its time limit) stops polling at once, so its programs are cleaned up.
func poll<Value>(
    timeout: Duration, every interval: Duration = .milliseconds(25), _ probe: () async throws -> Value?
) async rethrows -> Value? {
    let deadline = ContinuousClock.now + timeout
    while true {
        if let value = try await probe() { return value }
        guard ContinuousClock.now < deadline, !Task.isCancelled else { return nil }
        try? await Task.sleep(for: interval)
    }
}
