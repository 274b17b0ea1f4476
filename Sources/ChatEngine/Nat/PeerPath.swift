import ChatWire

/// How a live connection to a peer travels, for the user to see (`/friends`, `/query`, presence):
/// on the same LAN, directly across the internet (dialed, or punched through both NATs), or
/// through the TURN relay, and its round trip.
public struct PeerPath: Sendable, Hashable, CustomStringConvertible {
    public var kind: PeerCandidate.Kind
    public var roundTrip: Duration

    public init(kind: PeerCandidate.Kind, roundTrip: Duration) {
        self.kind = kind
        self.roundTrip = roundTrip
    }

    /// `lan`, `direct`, `punched` or `relayed`, as the user sees it.
    public var name: String { kind.rawValue }

    /// The round trip in whole milliseconds, at least 1 (a loopback handshake takes less).
    public var roundTripMilliseconds: Int {
        max(1, Int((roundTrip / .milliseconds(1)).rounded()))
    }

    /// `relayed, 12 ms`
    public var description: String { "\(name), \(roundTripMilliseconds) ms" }
}

extension PeerConnection {
    public var peerPath: PeerPath { PeerPath(kind: path, roundTrip: roundTrip) }
}
