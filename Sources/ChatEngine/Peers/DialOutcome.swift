import Synchronization

/// Hands a dial's result to the waiting caller exactly once, whichever of the connection task,
/// a failure or a cancellation gets there first, and whether or not the caller is waiting yet.
final class DialOutcome: Sendable {
    private enum State {
        case pending(CheckedContinuation<PeerConnection, any Error>?)
        case decided(Result<PeerConnection, any Error>)
        case delivered
    }

    private let state = Mutex<State>(.pending(nil))

    func install(_ continuation: CheckedContinuation<PeerConnection, any Error>) {
        let early: Result<PeerConnection, any Error>? = state.withLock { state in
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

    func succeed(_ connection: PeerConnection) {
        decide(.success(connection))
    }

    func fail(_ error: any Error) {
        decide(.failure(error))
    }

    private func decide(_ result: Result<PeerConnection, any Error>) {
        let waiting: CheckedContinuation<PeerConnection, any Error>? = state.withLock { state in
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
