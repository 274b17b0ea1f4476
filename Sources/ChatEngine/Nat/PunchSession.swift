import ChatWire
import Synchronization

/// The hole-punching state of one relayed connection: the `Punch` signals its peer sent (for the
/// side that punches), and whether the peer has moved to another connection (`switch`).
///
/// A new connection to the same peer reads nothing until the peer's `switch` has been read on the
/// relayed one (`peerSwitched`): every frame the peer sent before it moved arrives first, so
/// messages sent across the switch arrive in the order they were sent.
final class PunchSession: Sendable {
    let relayed: PeerConnection

    private struct State {
        var signals: [PunchSignal] = []
        var peerSwitched = false
        var switchSent = false
        var ended = false
    }

    private let state = Mutex(State())
    private let waiters = Waiters<Int, Void>()

    init(relayed: PeerConnection) {
        self.relayed = relayed
    }

    /// The relayed connection read `signal` from the peer.
    func received(_ signal: PunchSignal) {
        state.withLock { state in
            if signal == .switchOver { state.peerSwitched = true } else { state.signals.append(signal) }
        }
        waiters.resumeAll(with: ())
    }

    /// The relayed connection closed: nothing more will come on it.
    func ended() {
        state.withLock { $0.ended = true }
        waiters.resumeAll(with: ())
    }

    /// Whether we told the peer we moved (at most once: the first caller gets true).
    func markSwitchSent() -> Bool {
        state.withLock { state in
            defer { state.switchSent = true }
            return !state.switchSent
        }
    }

    /// The next `connect` or `sync` the peer sent; nil when the connection ended, the task was
    /// cancelled, or `timeout` passed first.
    func nextSignal(within timeout: Duration?) async -> PunchSignal? {
        await waitFor(within: timeout) { state in
            state.signals.isEmpty ? nil : state.signals.removeFirst()
        }
    }

    /// Returns true once the peer said `switch` or the relayed connection ended; false when
    /// `timeout` passed first (a peer that does not punch never says it).
    func peerSwitched(within timeout: Duration) async -> Bool {
        await waitFor(within: timeout) { state in
            state.peerSwitched || state.ended ? true : nil
        } ?? false
    }

    /// Looks at the state each time something happened, until `ready` returns a value, the
    /// connection ended, or the time is up.
    private func waitFor<Value: Sendable>(within timeout: Duration?, _ ready: @escaping @Sendable (inout State) -> Value?) async -> Value? {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        return await withTaskGroup(of: Void.self) { group in
            if let timeout {
                group.addTask { [waiters] in
                    try? await Task.sleep(for: timeout)
                    waiters.resumeAll(with: ())
                }
            }
            defer { group.cancelAll() }
            while !Task.isCancelled {
                let generation = waiters.generation
                let (value, ended) = state.withLock { state in (ready(&state), state.ended) }
                if let value { return value }
                if ended { return nil }
                if let deadline, ContinuousClock.now >= deadline { return nil }
                await waiters.wait(for: 0, cancelled: (), unlessResumedSince: generation)
            }
            return nil
        }
    }
}
