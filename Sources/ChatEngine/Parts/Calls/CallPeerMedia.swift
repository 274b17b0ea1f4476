import ChatWire
import NIOCore

/// Where the friend said its call media can be reached, from its offer or answer.
struct CallPeerMedia: Sendable {
    /// The friend's UDP candidates; nil from a peer that sends none, whose media goes to
    /// `connectionAddress` unchecked, as before candidates.
    let candidates: [PeerCandidate]?
    /// The friend's address as the peer connection sees it, with the offer's or answer's `Port`;
    /// nil when the connection is relayed (that address is the relay's).
    let connectionAddress: SocketAddress?

    init(candidates: [PeerCandidate]?, connectionAddress: SocketAddress?) {
        self.candidates = candidates
        self.connectionAddress = connectionAddress
    }

    init(_ envelope: Envelope, port: Int, on connection: PeerConnection) {
        self.init(
            candidates: envelope.mediaCandidates?.compactMap { PeerCandidate(word: $0) },
            connectionAddress: connection.path == .relayed
                ? nil : connection.remoteAddress?.ipAddress.flatMap { try? SocketAddress(ipAddress: $0, port: port) })
    }

    /// The addresses to probe, best first (the same LAN, then direct and the connection's
    /// address), each with the kind of candidate it came from.
    var probeTargets: [(address: SocketAddress, kind: PeerCandidate.Kind)] {
        var targets: [(address: SocketAddress, kind: PeerCandidate.Kind)] = []
        for candidate in (candidates ?? []).filter({ $0.kind != .relayed }).sorted(by: { $0.kind < $1.kind }) {
            if let address = try? SocketAddress(ipAddress: candidate.host, port: candidate.port), !targets.contains(where: { $0.address == address }) {
                targets.append((address, candidate.kind))
            }
        }
        if let connectionAddress, !targets.contains(where: { $0.address == connectionAddress }) {
            targets.append((connectionAddress, .direct))
        }
        return targets
    }

    /// Where our relay sends to: the friend's relayed candidate, else its reflexive one.
    var relayTarget: StunAddress? {
        let candidates = candidates ?? []
        let target = candidates.first { $0.kind == .relayed } ?? candidates.first { $0.kind == .direct }
        return target.flatMap { try? SocketAddress(ipAddress: $0.host, port: $0.port) }.flatMap { StunAddress($0) }
    }
}
