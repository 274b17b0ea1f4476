import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Turns the locator addresses a user gave into endpoints to connect to: a host name becomes
/// every address it resolves to (A and AAAA, in the resolver's order), so that a service
/// published as one name with several replicas behind it fails over like a list of addresses.
enum LocatorEndpoints {
    /// Every endpoint of `addresses`, in order, without repeats. An address that does not resolve
    /// is left out (the others may still answer); all of them failing is the caller's error.
    static func resolve(_ addresses: [LocatorAddress]) async -> [LocatorEndpoint] {
        var endpoints: [LocatorEndpoint] = []
        for address in addresses {
            let ips: [String]
            if isIPAddress(address.host) {
                ips = [address.host]
            } else {
                // getaddrinfo blocks, so it runs on NIO's thread pool, never on the cooperative one.
                let host = address.host
                ips = (try? await NIOThreadPool.singleton.runIfActive { lookUp(host) }) ?? []
            }
            for ip in ips {
                let endpoint = LocatorEndpoint(address: address, ip: ip)
                if !endpoints.contains(endpoint) { endpoints.append(endpoint) }
            }
        }
        return endpoints
    }

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    /// The IPv4 and IPv6 addresses of `host`, each once.
    private static func lookUp(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var ips: [String] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            if let ip = current.pointee.ai_addr.flatMap(ipAddress(of:)), !ips.contains(ip) { ips.append(ip) }
            entry = current.pointee.ai_next
        }
        return ips
    }

    private static func ipAddress(of socketAddress: UnsafeMutablePointer<sockaddr>) -> String? {
        switch Int32(socketAddress.pointee.sa_family) {
        case AF_INET:
            socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { SocketAddress($0.pointee).ipAddress }
        case AF_INET6:
            socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { SocketAddress($0.pointee).ipAddress }
        default:
            nil
        }
    }
}
