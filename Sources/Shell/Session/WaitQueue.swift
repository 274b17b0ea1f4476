/// Outputs that a `/wait` may still match. An event that arrived before the `/wait` started
/// counts (scripts race with the network), and each event satisfies one `/wait` only.
actor WaitQueue {
    private var unmatched: [ShellOutput] = []
    private var waiter: (matcher: EventMatcher, continuation: CheckedContinuation<ShellOutput?, Never>, id: Int)?
    private var nextWaiter = 0
    /// Enough for any script; the oldest are forgotten first.
    private let capacity = 10_000

    func append(_ output: ShellOutput) {
        if let waiter, waiter.matcher.matches(output) {
            self.waiter = nil
            waiter.continuation.resume(returning: output)
            return
        }
        unmatched.append(output)
        if unmatched.count > capacity { unmatched.removeFirst(unmatched.count - capacity) }
    }

    /// The first output so far or within the condition's timeout that matches; nil on timeout.
    func wait(for condition: WaitCondition) async -> ShellOutput? {
        let matcher = EventMatcher(condition)
        if let index = unmatched.firstIndex(where: matcher.matches) {
            return unmatched.remove(at: index)
        }
        let id = nextWaiter
        nextWaiter += 1
        return await withCheckedContinuation { continuation in
            waiter = (matcher, continuation, id)
            Task {
                try? await Task.sleep(for: condition.timeout)
                self.expire(id)
            }
        }
    }

    private func expire(_ id: Int) {
        guard let waiter, waiter.id == id else { return }
        self.waiter = nil
        waiter.continuation.resume(returning: nil)
    }
}
