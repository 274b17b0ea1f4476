import Synchronization

/// The end of a thread, awaited from tasks: ``wait()`` suspends (it holds no thread) until ``signal()``.
final class ThreadExit: Sendable {
    private enum State {
        case running(waiters: [Int: CheckedContinuation<Void, Never>], nextID: Int)
        case ended
    }

    private let state = Mutex(State.running(waiters: [:], nextID: 0))

    /// The thread has ended: every waiter, present and future, goes on.
    func signal() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            defer { state = .ended }
            guard case .running(let waiters, _) = state else { return [] }
            return Array(waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns when the thread has ended, or when the waiting task is cancelled.
    func wait() async {
        let id = state.withLock { state -> Int? in
            guard case .running(let waiters, let nextID) = state else { return nil }
            state = .running(waiters: waiters, nextID: nextID + 1)
            return nextID
        }
        guard let id else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    guard case .running(var waiters, let nextID) = state, !Task.isCancelled else { return true }
                    waiters[id] = continuation
                    state = .running(waiters: waiters, nextID: nextID)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard case .running(var waiters, let nextID) = state else { return nil }
                let waiter = waiters.removeValue(forKey: id)
                state = .running(waiters: waiters, nextID: nextID)
                return waiter
            }
            waiter?.resume()
        }
    }

    /// ``wait()``, for at most `limit`.
    func wait(atMost limit: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wait() }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
    }
}
