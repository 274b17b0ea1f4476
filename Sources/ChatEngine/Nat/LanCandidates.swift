import ChatWire
import NIOCore
import NIOPosix

/// This machine's own addresses as `lan` candidates: a friend on the same network reaches us
/// there without the router. Loopback is left out (it is no one else's way in), and so is IPv6
/// link-local, whose scope a candidate cannot carry.
enum LanCandidates {
    /// At most `limit` candidates with `port`, IPv4 first, in the order the interfaces come.
    static func gather(port: Int, limit: Int = Limits.maxCandidates - 1) throws -> [PeerCandidate] {
        var seen = Set<PeerCandidate>()
        let candidates = try System.enumerateDevices().compactMap { device -> PeerCandidate? in
            guard let host = device.address?.ipAddress, isReachableFromOthers(host),
                  let candidate = PeerCandidate(kind: .lan, host: host, port: port),
                  seen.insert(candidate).inserted else { return nil }
            return candidate
        }
        let ipv4 = candidates.filter { !$0.host.contains(":") }
        return Array((ipv4 + candidates.filter { $0.host.contains(":") }).prefix(limit))
    }

    private static func isReachableFromOthers(_ host: String) -> Bool {
        if host.contains(":") {
            let lower = host.lowercased()
            return lower != "::1" && !lower.hasPrefix("fe8") && !lower.hasPrefix("fe9") && !lower.hasPrefix("fea") && !lower.hasPrefix("feb")
        }
        return !host.hasPrefix("127.")
    }
}
