/// Polls `condition` until it holds or `timeout` passes; whether it came to hold.
///
/// For what a test can observe: waiting for a state, not sleeping a guessed time.
func eventually(
    timeout: Duration = .seconds(5), every interval: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}
