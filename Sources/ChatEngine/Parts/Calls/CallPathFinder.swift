import ChatWire
import NIOCore
import Voice

/// Chooses the way an answered call's media goes from this side: probes the friend's
/// candidates (both sides at once, which punches NAT holes) and takes the first confirmed
/// both ways, preferring the same LAN; when none is within a second, the TURN relay.
struct CallPathFinder {
    let transport: CallTransport
    let remote: CallPeerMedia
    let key: MediaKey
    let role: MediaRole

    /// How long the probes may look for a hole before the call takes the relay.
    static let punchTimeout = Duration.seconds(1)

    /// The route and its name, or nil when no path answered and there is no relay to fall back on.
    func find() async -> (route: MediaRoute, path: CallPath)? {
        guard remote.candidates != nil else {
            // A peer that sends no candidates answers no probes: its media goes where it always went.
            return remote.connectionAddress.map { (.socket(to: $0), .direct) }
        }
        let targets = remote.probeTargets
        let relayTarget = remote.relayTarget
        // Before the probes: should the friend's side take the relay first, its datagrams get in.
        var relayReady = false
        if let relay = transport.relay, let relayTarget {
            relayReady = (try? await relay.permit(relayTarget)) != nil
        }
        let prober = MediaProber(socket: transport.socket, key: key, role: role, targets: targets.map(\.address))
        if let confirmed = await prober.confirm(within: Self.punchTimeout) {
            let kind = targets.first { $0.address == confirmed }?.kind
            return (.socket(to: confirmed), path(to: confirmed, through: kind))
        }
        if let relay = transport.relay, relayReady { return (relay.route, .relayed) }
        return nil
    }

    /// `lan` for the friend's LAN address on a network of ours (a LAN candidate elsewhere is a
    /// public address: both sides must name the path alike); otherwise `direct` for a public
    /// address with no NAT on either side, `punched` when a NAT stands on either side (or the
    /// address is one the friend's probes came from, which only a NAT makes up).
    private func path(to confirmed: SocketAddress, through kind: PeerCandidate.Kind?) -> CallPath {
        if kind == .lan, LanCandidates.isOnOurNetwork(confirmed, includingLoopback: true) { return .lan }
        switch kind {
        case .lan?, .direct?:
            return CallTransport.isBehindNat(transport.candidates) || CallTransport.isBehindNat(remote.candidates ?? []) ? .punched : .direct
        default:
            return .punched
        }
    }
}
