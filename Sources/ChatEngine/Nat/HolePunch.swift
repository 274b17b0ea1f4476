import ChatWire
import Logging

/// Upgrades a relayed connection to a direct one by TCP hole punching, as libp2p's DCUtR does:
/// over the relayed connection the peers tell each other their addresses as the locator sees
/// them (`connect` each way, which also measures the round trip), the initiator says `sync` and
/// waits half the round trip, the responder dials as `sync` arrives, so both SYNs leave at about
/// the same moment, each from the port its node listens on: each NAT then has a mapping for the
/// other's SYN to match (TCP simultaneous open). Up to `tries` times; a try that fails leaves the
/// relayed connection as it is.
struct HolePunch: Sendable {
    static let tries = 3
    /// How long the initiator waits for the peer's `connect`: a peer that does not punch (an older
    /// version) never answers, and the relayed connection simply stays.
    static let answerTimeout = Duration.seconds(10)

    let me: String
    let session: PunchSession
    /// Our addresses as the locator sees them (the `direct` paths it lists for us).
    let ownAddresses: @Sendable () async -> [PeerCandidate]
    /// Dials one of the peer's addresses from our listening port; returns once the connection
    /// pinned the peer and is registered.
    let dial: @Sendable (PeerCandidate) async throws -> PeerConnection
    let logger: Logger

    private var peer: String { session.relayed.peer }

    /// The side that dialed the relayed connection leads.
    func runAsInitiator() async -> PeerConnection? {
        for attempt in 1...Self.tries {
            guard !Task.isCancelled else { return nil }
            let mine = await ownAddresses()
            let sent = ContinuousClock.now
            guard await send(.connect(mine)),
                  case .connect(let theirs)? = await session.nextSignal(within: Self.answerTimeout) else {
                logger.debug("hole punching: no answer", metadata: ["peer": "\(peer)"])
                return nil
            }
            let roundTrip = ContinuousClock.now - sent
            guard await send(.sync) else { return nil }
            try? await Task.sleep(for: roundTrip / 2)
            if let connection = await dialAny(theirs, attempt: attempt) { return connection }
        }
        return nil
    }

    /// The other side answers each `connect` with its own and dials when `sync` arrives; until
    /// the relayed connection ends or a punch succeeds.
    func runAsResponder() async -> PeerConnection? {
        var theirs: [PeerCandidate] = []
        var attempt = 0
        while let signal = await session.nextSignal(within: nil) {
            switch signal {
            case .connect(let addresses):
                theirs = addresses
                guard await send(.connect(await ownAddresses())) else { return nil }
            case .sync:
                attempt += 1
                if let connection = await dialAny(theirs, attempt: attempt) { return connection }
                guard attempt < Self.tries else { return nil }
            case .switchOver:
                continue
            }
        }
        return nil
    }

    private func send(_ signal: PunchSignal) async -> Bool {
        do {
            try await session.relayed.send(signal.envelope(from: me, to: peer))
            return true
        } catch {
            return false
        }
    }

    /// Tries the peer's addresses in turn; the first that pins wins.
    private func dialAny(_ addresses: [PeerCandidate], attempt: Int) async -> PeerConnection? {
        for address in addresses {
            do {
                return try await dial(address)
            } catch {
                logger.debug("hole punching failed", metadata: ["peer": "\(peer)", "try": "\(attempt)", "address": "\(address.host):\(address.port)", "reason": "\(error)"])
            }
        }
        return nil
    }
}
