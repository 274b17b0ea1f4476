import Synchronization

/// One piece of a login session's work, running as a child task of its `SessionScope` (or, for
/// work outside any session, as a task of its own: `OwnTasks`).
///
/// It ends when its body returns, when `cancel()` is called, or when the session ends (the
/// scope cancels all of its work together). `finished()` waits for the end, as `Task.value` does,
/// but the task itself belongs to the session's tree: nothing started here outlives a logout.
final class SessionWork: Sendable {
    private struct State {
        var finished = false
        var cancelled = false
        /// Who waits in `finished()`.
        var waiters: [CheckedContinuation<Void, Never>] = []
        /// The body's watcher, suspended until `cancel()`.
        var watcher: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    init() {}

    /// Whether the body ended (or never ran, the session being over when it was started).
    var isFinished: Bool { state.withLock { $0.finished } }

    /// Asks the body to stop: its task is cancelled. Does nothing once it ended.
    func cancel() {
        let watcher = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.cancelled = true
            defer { state.watcher = nil }
            return state.watcher
        }
        watcher?.resume()
    }

    /// Returns once the body ended.
    func finished() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if !state.finished { state.waiters.append(continuation) }
                return state.finished
            }
            if done { continuation.resume() }
        }
    }

    /// Runs `body` in the calling task (a child of the scope's group) until it returns, or until
    /// `cancel()` or the session's end cancels it.
    func run(_ body: @escaping @Sendable () async -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await body() }
            group.addTask { await self.untilCancelled() }
            await group.next()
            group.cancelAll()
        }
        markFinished()
    }

    /// The body never runs (the session ended before it started): its waiters go on at once.
    func markFinished() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.finished = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Suspends until `cancel()`, or until this task is cancelled (the body ended first, or the
    /// session is ending).
    private func untilCancelled() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state in
                    if state.cancelled || Task.isCancelled { return true }
                    state.watcher = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            self.cancel()
        }
    }
}
