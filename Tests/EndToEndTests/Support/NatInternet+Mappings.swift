import Foundation

/// A home router that forgets: its NAT mappings of established TCP connections expire after
/// seconds, and the path through it can be cut for a while, so that a mapping is lost.
extension NatInternet {
    /// The router's conntrack forgets an established TCP connection after `seconds` without a packet.
    func forgetIdleConnections(after seconds: Int, router: String, in scenario: Scenario) async throws {
        try await run(
            Self.ip, ["netns", "exec", router, "sysctl", "-q", "-w", "net.netfilter.nf_conntrack_tcp_timeout_established=\(seconds)"],
            in: scenario)
    }

    /// Drops (`cut`) or lets through again every packet between `router`'s homes and `host`,
    /// before connection tracking sees it: the mappings of their connections are not refreshed.
    func cut(_ cut: Bool, router: String, from host: String, in scenario: Scenario) async throws {
        for direction in ["-s", "-d"] {
            let rule = ["PREROUTING", direction, host, "-j", "DROP"]
            try await run(Self.ip, ["netns", "exec", router, Self.iptables.path, "-t", "raw", cut ? "-I" : "-D"] + rule, in: scenario)
        }
    }
}
