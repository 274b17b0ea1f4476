import Synchronization

/// Tasks suspended until an outcome for their key arrives (an `Ack` for a message id, say).
///
/// Resumable from any context and cancellable: a waiter whose task is cancelled is resumed at
/// once with the cancellation value and forgotten, so a timer racing a waiter can simply be
/// cancelled when the other side wins, and no task outlives the race.
final class Waiters<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var id: Int
        var continuation: CheckedContinuation<Value, Never>
    }

    private struct State {
        var nextID = 0
        /// How many times `resume` or `resumeAll` ran: lets a waiter that checked a condition
        /// first see whether a wake-up happened before it got to wait.
        var resumes = 0
        var waiting: [Key: [Entry]] = [:]
    }

    private let state = Mutex(State())

    /// The count of resumes so far, to pass to `wait(for:cancelled:unlessResumedSince:)`.
    var generation: Int {
        state.withLock { $0.resumes }
    }

    /// Suspends until `resume` is called for `key`, or returns `cancelled` when the task is
    /// cancelled, or at once when some resume happened since `generation` was read.
    func wait(for key: Key, cancelled: Value, unlessResumedSince generation: Int? = nil) async -> Value {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let returnAtOnce = state.withLock { state in
                    if Task.isCancelled { return true }
                    if let generation, generation != state.resumes { return true }
                    state.waiting[key, default: []].append(Entry(id: id, continuation: continuation))
                    return false
                }
                if returnAtOnce { continuation.resume(returning: cancelled) }
            }
        } onCancel: {
            let entry = state.withLock { state -> Entry? in
                guard var entries = state.waiting[key], let index = entries.firstIndex(where: { $0.id == id }) else {
                    return nil
                }
                let entry = entries.remove(at: index)
                state.waiting[key] = entries.isEmpty ? nil : entries
                return entry
            }
            entry?.continuation.resume(returning: cancelled)
        }
    }

    /// Resumes everyone waiting for `key` with `value`; returns how many there were.
    @discardableResult
    func resume(_ key: Key, with value: Value) -> Int {
        let entries = state.withLock { state -> [Entry] in
            state.resumes += 1
            return state.waiting.removeValue(forKey: key) ?? []
        }
        for entry in entries { entry.continuation.resume(returning: value) }
        return entries.count
    }

    /// Resumes every waiter, whatever its key.
    func resumeAll(with value: Value) {
        let entries = state.withLock { state -> [Entry] in
            state.resumes += 1
            defer { state.waiting = [:] }
            return state.waiting.values.flatMap { $0 }
        }
        for entry in entries { entry.continuation.resume(returning: value) }
    }
}
