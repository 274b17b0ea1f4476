import ChatWire
import Voice

/// What one side brings to a call's media before it starts: the UDP socket, the candidates it
/// is reachable at (its LAN addresses, the address a STUN Binding saw, the relayed one), and
/// the TURN UDP allocation behind the relayed candidate, when the locator offers a relay.
struct CallTransport: Sendable {
    let socket: MediaSocket
    let candidates: [PeerCandidate]
    let relay: CallRelay?

    var words: [String] { candidates.map(\.word) }

    /// Whether a NAT stands between `candidates`' owner and the relay: the address the STUN
    /// Binding saw is none of its own.
    static func isBehindNat(_ candidates: [PeerCandidate]) -> Bool {
        let own = Set(candidates.filter { $0.kind == .lan }.map(\.host))
        return candidates.contains { $0.kind == .direct && !own.contains($0.host) }
    }

    /// Closes the socket and frees the allocation: the call ended before its media started.
    func close() async {
        socket.receive(nil)
        await socket.close()
        await relay?.free()
    }
}
