import Foundation
import TestSupport

/// Two test hosts on one machine: network namespaces joined by a veth pair, 10.77.0.1 and
/// 10.77.0.2, made by the test and deleted at tear-down. Programs run in them through
/// `ip netns exec`, so what crosses between them is real network traffic with real addresses,
/// and never leaves the machine.
struct TwoHosts: Sendable {
    static let firstAddress = "10.77.0.1"
    static let secondAddress = "10.77.0.2"
    static let ip = URL(fileURLWithPath: "/usr/sbin/ip")

    let first: String
    let second: String

    /// Whether this machine lets the tests make namespaces: root, `ip` installed, and a probe
    /// namespace can really be added and deleted (a container may forbid it).
    static let available: Bool = {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: ip.path) else { return false }
        let probe = "p2pprobe\(getpid() % 100_000)"
        func run(_ arguments: [String]) -> Bool {
            (try? SpawnedProcess.run(ip.path, arguments))?.status == 0
        }
        return run(["netns", "add", probe]) && run(["netns", "del", probe])
    }()

    /// Makes the two hosts; the scenario deletes them when the test ends.
    static func make(in scenario: Scenario) async throws -> TwoHosts {
        let tag = "p2p\(getpid() % 100_000)"
        let hosts = TwoHosts(first: "\(tag)a", second: "\(tag)b")
        scenario.onTearDown {
            _ = try? await hosts.ip(["netns", "del", hosts.first], in: scenario)
            _ = try? await hosts.ip(["netns", "del", hosts.second], in: scenario)
        }
        for command in [
            ["netns", "add", hosts.first],
            ["netns", "add", hosts.second],
            ["link", "add", "\(tag)x", "type", "veth", "peer", "name", "\(tag)y"],
            ["link", "set", "\(tag)x", "netns", hosts.first],
            ["link", "set", "\(tag)y", "netns", hosts.second],
            ["-n", hosts.first, "addr", "add", "\(firstAddress)/24", "dev", "\(tag)x"],
            ["-n", hosts.second, "addr", "add", "\(secondAddress)/24", "dev", "\(tag)y"],
            ["-n", hosts.first, "link", "set", "\(tag)x", "up"],
            ["-n", hosts.second, "link", "set", "\(tag)y", "up"],
            ["-n", hosts.first, "link", "set", "lo", "up"],
            ["-n", hosts.second, "link", "set", "lo", "up"],
        ] {
            try await hosts.ip(command, in: scenario)
        }
        return hosts
    }

    /// Starts `executable` (p2pchat unless told otherwise) with `arguments` inside the namespace `host`.
    func start(
        _ name: String, on host: String, _ arguments: [String], executable: URL? = nil, in scenario: Scenario
    ) async throws -> ChildProcess {
        try await scenario.start(
            name, ["netns", "exec", host, (executable ?? scenario.binary).path] + arguments, executable: Self.ip)
    }

    @discardableResult
    private func ip(_ arguments: [String], in scenario: Scenario) async throws -> [String] {
        let command = try await scenario.start("ip \(arguments.prefix(3).joined(separator: " "))", arguments, executable: Self.ip)
        command.closeInput()
        let status = try await command.waitForExit(timeout: .seconds(10))
        guard status == 0 else {
            throw EndToEndError("ip \(arguments.joined(separator: " ")) exited with \(status): \(command.errors.tail(5))")
        }
        return command.output.lines
    }
}
