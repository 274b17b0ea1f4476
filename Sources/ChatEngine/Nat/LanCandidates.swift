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

    /// The path a connection with a peer at `remote` takes, when it does not go through the relay:
    /// `lan` when the peer is on the network of one of our interfaces (loopback aside), `direct`
    /// otherwise. Both ends of a connection come to the same answer.
    static func path(to remote: SocketAddress?) -> PeerCandidate.Kind {
        isOnOurNetwork(remote) ? .lan : .direct
    }

    /// Whether `remote` is on the network of one of our interfaces; loopback counts only when
    /// `includingLoopback`.
    static func isOnOurNetwork(_ remote: SocketAddress?, includingLoopback: Bool = false) -> Bool {
        guard let remote, let peer = StunAddress(remote), let devices = try? System.enumerateDevices() else { return false }
        return devices.contains { device in
            guard let address = device.address.flatMap({ StunAddress($0) }), let mask = device.netmask.flatMap({ StunAddress($0) }),
                  let host = device.address?.ipAddress, includingLoopback || isReachableFromOthers(host),
                  address.addressBytes.count == peer.addressBytes.count, mask.addressBytes.count == peer.addressBytes.count
            else { return false }
            return zip(zip(address.addressBytes, peer.addressBytes), mask.addressBytes).allSatisfy { pair, mask in
                pair.0 & mask == pair.1 & mask
            }
        }
    }

    private static func isReachableFromOthers(_ host: String) -> Bool {
        if host.contains(":") {
            let lower = host.lowercased()
            return lower != "::1" && !lower.hasPrefix("fe8") && !lower.hasPrefix("fe9") && !lower.hasPrefix("fea") && !lower.hasPrefix("feb")
        }
        return !host.hasPrefix("127.")
    }
}
