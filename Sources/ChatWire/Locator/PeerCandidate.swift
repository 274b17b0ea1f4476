/// One way to reach a peer, published through the locator: `lan:192.168.77.2:40123` (an address
/// of one of its interfaces), `direct:203.0.113.9:40123` (the address the locator sees it at),
/// `relayed:198.51.100.1:50123` (a TURN TCP allocation). A dial tries them in that order,
/// staggered, and keeps the first whose TLS handshake pins the friend's certificate, so a
/// candidate that lies leads nowhere.
public struct PeerCandidate: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable, Comparable {
        case lan
        case direct
        /// Never published: how a connection travels once a relayed one was upgraded by TCP hole
        /// punching (simultaneous open between the addresses the locator sees).
        case punched
        case relayed

        /// Whether a candidate of this kind may be published and dialed (`punched` only names a path).
        public var isCandidate: Bool { self != .punched }

        /// The order of tries: the same LAN first, the relay last.
        public static func < (lhs: Kind, rhs: Kind) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public var kind: Kind
    /// A literal address: dotted IPv4, or IPv6 without brackets.
    public var host: String
    public var port: Int

    /// nil unless `host` is a literal IPv4 or IPv6 address and `port` is 1-65535.
    public init?(kind: Kind, host: String, port: Int) {
        guard (1...65535).contains(port), Self.isLiteralAddress(host) else { return nil }
        self.kind = kind
        self.host = host
        self.port = port
    }

    /// `kind:host:port`, the host of IPv6 in brackets.
    public var word: String {
        host.contains(":") ? "\(kind.rawValue):[\(host)]:\(port)" : "\(kind.rawValue):\(host):\(port)"
    }

    public var description: String { word }

    public init?(word: some StringProtocol) {
        guard word.utf8.count <= 64, let firstColon = word.firstIndex(of: ":"),
              let kind = Kind(rawValue: String(word[..<firstColon])), kind.isCandidate else { return nil }
        let rest = word[word.index(after: firstColon)...]
        guard let lastColon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: lastColon)...]) else { return nil }
        var host = rest[..<lastColon]
        if host.hasPrefix("[") {
            guard host.hasSuffix("]") else { return nil }
            host = host.dropFirst().dropLast()
            guard host.contains(":") else { return nil }
        } else if host.contains(":") {
            return nil
        }
        self.init(kind: kind, host: String(host), port: port)
    }

    /// Dotted IPv4, or IPv6 in hex groups: eight, or fewer with one `::` standing for the rest.
    private static func isLiteralAddress(_ host: String) -> Bool {
        if IPv4Text.isValid(host) { return true }
        guard host.contains(":"), host.utf8.count <= 39, !host.contains(":::") else { return false }
        let halves = host.split(separator: "::", omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return false }
        let groups = halves.flatMap { $0.isEmpty ? [] : $0.split(separator: ":", omittingEmptySubsequences: false) }
        guard groups.allSatisfy({ (1...4).contains($0.count) && $0.allSatisfy(\.isHexDigit) }) else { return false }
        return halves.count == 2 ? groups.count <= 7 : groups.count == 8
    }
}
