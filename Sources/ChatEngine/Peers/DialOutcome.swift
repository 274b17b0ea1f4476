import Synchronization

/// Hands one result of a dial to whoever waits for it, exactly once, whichever of the connection
/// task, a failure or a cancellation gets there first, and whether or not the waiter is there yet.
final class DialOutcome<Value: Sendable>: Sendable {
    private enum State {
        case pending(CheckedContinuation<Value, any Error>?)
        case decided(Result<Value, any Error>)
        case delivered
    }

    private let state = Mutex<State>(.pending(nil))

    /// Waits for the result; `onCancel` runs when the waiting task is cancelled first (it should
    /// end what would decide it, or decide it itself).
    func wait(onCancel: @escaping @Sendable () -> Void) async throws -> Value {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                install(continuation)
            }
        } onCancel: {
            onCancel()
        }
    }

    private func install(_ continuation: CheckedContinuation<Value, any Error>) {
        let early: Result<Value, any Error>? = state.withLock { state in
            switch state {
            case .pending:
                state = .pending(continuation)
                return nil
            case .decided(let result):
                state = .delivered
                return result
            case .delivered:
                return .failure(CancellationError())
            }
        }
        if let early { continuation.resume(with: early) }
    }

    func succeed(_ value: Value) {
        decide(.success(value))
    }

    func fail(_ error: any Error) {
        decide(.failure(error))
    }

    private func decide(_ result: Result<Value, any Error>) {
        let waiting: CheckedContinuation<Value, any Error>? = state.withLock { state in
            switch state {
            case .pending(let continuation?):
                state = .delivered
                return continuation
            case .pending(nil):
                state = .decided(result)
                return nil
            case .decided, .delivered:
                return nil
            }
        }
        waiting?.resume(with: result)
    }
}
