/// A request written (or, in a dialect that does not pipeline, waiting to be written) whose
/// answer has not arrived. The locator answers in order, so answers are matched to the oldest entry.
struct PendingRequest<Request: LocatorClientRequest, Reply: Sendable> {
    let request: Request
    /// Unanswered for longer than this after being written, the connection counts as lost.
    let timeout: Duration
    /// Nil while the request waits for the one before it to be answered.
    var writtenAt: ContinuousClock.Instant?
    /// Nil for a keep-alive, whose answer nobody awaits.
    let waiter: CheckedContinuation<Reply, any Swift.Error>?
}
