import NIOCore
import Synchronization

/// The channel of a TCP connect that is under way, so that cancelling the task that waits for it
/// closes it at once (which fails the connect) instead of leaving it to its timeout: a dial that
/// another path has won must not hold the race open for seconds.
final class ConnectingChannel: Sendable {
    private enum State {
        case waiting
        case connecting(any Channel)
        case cancelled
    }

    private let state = Mutex(State.waiting)

    /// The bootstrap made `channel`; closed at once if the wait was already cancelled.
    func started(_ channel: any Channel) {
        let cancelled = state.withLock { state -> Bool in
            guard case .waiting = state else { return true }
            state = .connecting(channel)
            return false
        }
        if cancelled { channel.close(promise: nil) }
    }

    func cancel() {
        let channel = state.withLock { state -> (any Channel)? in
            defer { state = .cancelled }
            if case .connecting(let channel) = state { return channel }
            return nil
        }
        channel?.close(promise: nil)
    }
}
