import NIOCore
import Synchronization

/// Finds a path for a call's media before it starts, as ICE's connectivity checks do: sends a
/// small sealed probe to each of the peer's candidate addresses at once, again every 20 ms,
/// answers the peer's probes to wherever they came from, and reports the candidates whose
/// probes were answered from the address they went to. That both sides send at the same time,
/// once the answer gave each the other's candidates, is what opens holes in NATs: each side's
/// outgoing probe lets the other's in.
///
/// Probes and answers are sealed under the call's key (stream `probe`, sequence numbers below
/// `MediaPayload.sessionProbeSequences`), so nobody without the key confirms a path or points
/// the media somewhere else. An address the peer's probe came from that is none of its
/// candidates (a NAT's mapping it could not know) is probed too, as ICE's peer-reflexive one.
public final class MediaProber: Sendable {
    private struct State {
        var targets: [SocketAddress]
        /// The target index each outstanding probe's token was sent to.
        var tokens: [UInt64: Int] = [:]
        var confirmed: Set<Int> = []
        var nextSequence: UInt32 = 0
    }

    private let socket: MediaSocket
    private let cipher: MediaCipher
    private let state: Mutex<State>

    public init(socket: MediaSocket, key: MediaKey, role: MediaRole, targets: [SocketAddress]) {
        self.socket = socket
        cipher = MediaCipher(key: key, role: role)
        state = Mutex(State(targets: targets))
    }

    /// The address confirmed first, or the best ranked (the earliest in `targets`) confirmed
    /// within `grace` after the first; nil when none answered within `timeout`. Addresses
    /// learnt from the peer's probes rank after the candidates.
    public func confirm(within timeout: Duration, grace: Duration = .milliseconds(60)) async -> SocketAddress? {
        // Held by the socket until the media session takes it over: the peer may still be
        // probing after this side has chosen, and must be answered meanwhile.
        socket.receive { datagram, source in self.received(datagram, from: source) }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var decideBy: ContinuousClock.Instant?
        while !Task.isCancelled {
            let now = clock.now
            let (best, confirmedAny) = state.withLock { state in (state.confirmed.min(), !state.confirmed.isEmpty) }
            if confirmedAny, decideBy == nil { decideBy = now + grace }
            if best == 0 || (decideBy.map { now >= $0 } ?? false) { break }
            if now >= deadline, decideBy == nil { return nil }
            sendProbes()
            try? await Task.sleep(for: Self.interval)
        }
        return state.withLock { state in state.confirmed.min().map { state.targets[$0] } }
    }

    /// How often each target is probed while no answer came.
    static let interval = Duration.milliseconds(20)

    private func sendProbes() {
        let probes = state.withLock { state -> [([UInt8], SocketAddress)] in
            state.targets.indices.compactMap { index in
                guard !state.confirmed.contains(index), state.nextSequence < MediaPayload.sessionProbeSequences else { return nil }
                let token = UInt64.random(in: .min ... .max)
                state.tokens[token] = index
                defer { state.nextSequence += 1 }
                return (cipher.seal(.probe(token: token), sequence: state.nextSequence), state.targets[index])
            }
        }
        for (datagram, target) in probes { socket.send(datagram, to: target) }
    }

    private func received(_ datagram: [UInt8], from source: SocketAddress) {
        guard let (_, payload) = cipher.open(datagram) else { return }
        switch payload {
        case .probe(let token):
            let answer = state.withLock { state -> [UInt8]? in
                if !state.targets.contains(source), state.targets.count < Self.maximumTargets { state.targets.append(source) }
                guard state.nextSequence < MediaPayload.sessionProbeSequences else { return nil }
                defer { state.nextSequence += 1 }
                return cipher.seal(.probeAck(token: token), sequence: state.nextSequence)
            }
            if let answer { socket.send(answer, to: source) }
        case .probeAck(let token):
            state.withLock { state in
                // Only from where the probe went: an answer from elsewhere proves no path.
                guard let index = state.tokens.removeValue(forKey: token), state.targets[index] == source else { return }
                state.confirmed.insert(index)
            }
        default:
            break  // the peer's media, already started: ours starts as soon as we return
        }
    }

    /// Candidates and learnt addresses together; more is a peer flooding us with addresses.
    static let maximumTargets = 16
}
