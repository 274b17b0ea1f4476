/// Outputs that a `/wait` may still match. An event that arrived before the `/wait` started
/// counts (scripts race with the network), and each event satisfies one `/wait` only.
actor WaitQueue {
    /// How a wait's timeout passes; injected so tests can see the timer end.
    typealias Sleep = @Sendable (Duration) async throws -> Void

    private var unmatched: [ShellOutput] = []
    private var waiter: (matcher: EventMatcher, continuation: CheckedContinuation<ShellOutput?, Never>, id: Int)?
    private var nextWaiter = 0
    /// Enough for any script; the oldest are forgotten first.
    private let capacity: Int
    private let sleep: Sleep

    init(capacity: Int = 10_000, sleep: @escaping Sleep = { try await Task.sleep(for: $0) }) {
        self.capacity = capacity
        self.sleep = sleep
    }

    func append(_ output: ShellOutput) {
        if let waiter, waiter.matcher.matches(output) {
            self.waiter = nil
            waiter.continuation.resume(returning: output)
            return
        }
        unmatched.append(output)
        if unmatched.count > capacity { unmatched.removeFirst(unmatched.count - capacity) }
    }

    /// The first output so far or within the condition's timeout that matches; nil on timeout or when
    /// the waiting task is cancelled. The timer ends as soon as the wait does.
    func wait(for condition: WaitCondition) async -> ShellOutput? {
        let matcher = EventMatcher(condition)
        if let index = unmatched.firstIndex(where: matcher.matches) {
            return unmatched.remove(at: index)
        }
        let id = nextWaiter
        nextWaiter += 1
        let sleep = sleep
        // Ends at the timeout, or when the wait does (cancelled by the `defer` below).
        let timer = Task {
            guard (try? await sleep(condition.timeout)) != nil else { return }
            self.expire(id)
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiter = (matcher, continuation, id)
            }
        } onCancel: {
            // A cancellation handler cannot await: this hop to the queue ends as soon as it runs.
            Task { await self.expire(id) }
        }
    }

    private func expire(_ id: Int) {
        guard let waiter, waiter.id == id else { return }
        self.waiter = nil
        waiter.continuation.resume(returning: nil)
    }
}
