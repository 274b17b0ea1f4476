/// One step of hole punching over a relayed connection, carried in a `Punch` envelope's `Data`
/// (libp2p's DCUtR, over our own TLS connection): `connect` with the sender's addresses as the
/// locator sees them (each side measures the round trip between its `connect` and the answer),
/// `sync` (the initiator dials in half a round trip; the responder dials now), and `switch` (the
/// sender's last frame on the relayed connection: it sends on the punched one from now on).
public enum PunchSignal: Sendable, Equatable {
    case connect([PeerCandidate])
    case sync
    case switchOver

    /// At most this many addresses are read from a peer's `connect`; more is refused.
    public static let maxAddresses = 8

    public var data: String {
        switch self {
        case .connect(let addresses): (["connect"] + addresses.map(\.word)).joined(separator: " ")
        case .sync: "sync"
        case .switchOver: "switch"
        }
    }

    /// nil for anything a peer sends that is not one of the three, or a `connect` with an address
    /// that is not a `direct` candidate (a peer must not make us dial its LAN or the relay).
    public init?(data: String) {
        let words = data.split(separator: " ", omittingEmptySubsequences: false)
        switch words.first {
        case "connect":
            let addresses = words.dropFirst().compactMap { PeerCandidate(word: $0) }
            guard addresses.count == words.count - 1, addresses.count <= Self.maxAddresses,
                  addresses.allSatisfy({ $0.kind == .direct }) else { return nil }
            self = .connect(addresses)
        case "sync" where words.count == 1: self = .sync
        case "switch" where words.count == 1: self = .switchOver
        default: return nil
        }
    }

    public func envelope(from source: String, to target: String) -> Envelope {
        Envelope(type: .punch, source: source, target: target, data: data)
    }
}
