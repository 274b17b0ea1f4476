import Foundation
import Synchronization
import Testing
import TestSupport

/// A small internet in network namespaces, made by the test and deleted at tear-down (also when
/// it fails): a "public" namespace that routes between two public hosts and four home routers,
/// and a home behind each. Only addresses inside the namespaces are used.
///
/// ```
///   pub 198.18.0.1  ── 198.18.0.2  open: a client on the public side
///       198.19.0.1  ── 198.19.0.2  openB: another, on a network of its own
///       203.0.113.1 ── 203.0.113.2 cone     (MASQUERADE)              ── 192.168.77.0/24: coneA .2, coneB .3
///       198.51.100.1 ── 198.51.100.2 sym1   (MASQUERADE --random-fully) ── 192.168.78.2: symA
///       192.0.2.1   ── 192.0.2.2   sym2   (MASQUERADE --random-fully) ── 192.168.79.2: symB
///       100.64.0.1  ── 100.64.0.2  cone2  (MASQUERADE)              ── 192.168.80.2: coneC
/// ```
/// A router drops what comes in from outside, for the home or for itself, unless it answers
/// something that went out, as a home router does. `cone` keeps a local port's mapping for every destination (a port-restricted
/// cone); the `sym` routers give each destination a new port (symmetric), so only the relay gets
/// through them.
struct NatInternet: Sendable {
    /// The public side's address, where the locator, coturn and a public client run.
    static let publicAddress = "203.0.113.1"
    static let ip = URL(fileURLWithPath: "/usr/sbin/ip")
    static let iptables = URL(fileURLWithPath: "/usr/sbin/iptables")
    static let turnserver = URL(fileURLWithPath: "/usr/bin/turnserver")

    /// The namespaces: `pub`, the two public clients' (on networks of their own), and the homes' hosts.
    let pub: String
    let open: String
    let openB: String
    let coneA: String
    let coneB: String
    let symA: String
    let symB: String
    /// Behind a second cone router: a cone home other than `coneA`'s (hole punching between them).
    let coneC: String
    /// The home routers: `cone` (coneA, coneB), `sym1` (symA), `sym2` (symB), `cone2` (coneC).
    let routers: [String]

    /// Whether this machine can build it: root, `ip`, `iptables` and `turnserver` installed, and a
    /// probe namespace can really be added and deleted (a container may forbid it).
    static let available: Bool = {
        let fileManager = FileManager.default
        guard getuid() == 0, [ip, iptables, turnserver].allSatisfy({ fileManager.isExecutableFile(atPath: $0.path) }) else { return false }
        let probe = "p2pnatprobe\(getpid() % 100_000)"
        func run(_ arguments: [String]) -> Bool {
            (try? SpawnedProcess.run(ip.path, arguments))?.status == 0
        }
        return run(["netns", "add", probe]) && run(["netns", "del", probe])
    }()
    static let missingReason: Comment = "needs root, iproute2 (ip netns), iptables and coturn's turnserver"

    private static let counter = Mutex(0)

    /// Builds it; the scenario deletes every namespace when the test ends.
    static func make(in scenario: Scenario) async throws -> NatInternet {
        let number = counter.withLock { value -> Int in
            value += 1
            return value
        }
        let tag = "n\(getpid() % 100_000)x\(number)"
        let net = NatInternet(
            pub: "\(tag)pub", open: "\(tag)open", openB: "\(tag)openb", coneA: "\(tag)ca", coneB: "\(tag)cb", symA: "\(tag)sa", symB: "\(tag)sb",
            coneC: "\(tag)cc", routers: ["\(tag)cone", "\(tag)sym1", "\(tag)sym2", "\(tag)cone2"])
        let all = [net.pub, net.open, net.openB, net.coneA, net.coneB, net.symA, net.symB, net.coneC] + net.routers
        scenario.onTearDown {
            for namespace in all { _ = try? await net.run(ip, ["netns", "del", namespace], in: scenario) }
        }
        for namespace in all {
            try await net.run(ip, ["netns", "add", namespace], in: scenario)
            try await net.run(ip, ["-n", namespace, "link", "set", "lo", "up"], in: scenario)
        }
        try await net.sysctl(net.pub, in: scenario)
        try await net.link("\(tag)pc", "\(tag)pcp", between: net.open, "198.18.0.2/24", and: net.pub, "198.18.0.1/24", in: scenario)
        try await net.run(ip, ["-n", net.open, "route", "add", "default", "via", "198.18.0.1"], in: scenario)
        try await net.link("\(tag)pd", "\(tag)pdp", between: net.openB, "198.19.0.2/24", and: net.pub, "198.19.0.1/24", in: scenario)
        try await net.run(ip, ["-n", net.openB, "route", "add", "default", "via", "198.19.0.1"], in: scenario)
        // The routers: an outside link to pub, an inside LAN, NAT and a firewall.
        let routers: [(router: String, outside: String, lan: String, randomPorts: Bool, hosts: [(String, String)])] = [
            (net.routers[0], "203.0.113", "192.168.77", false, [(net.coneA, "2"), (net.coneB, "3")]),
            (net.routers[1], "198.51.100", "192.168.78", true, [(net.symA, "2")]),
            (net.routers[2], "192.0.2", "192.168.79", true, [(net.symB, "2")]),
            (net.routers[3], "100.64.0", "192.168.80", false, [(net.coneC, "2")]),
        ]
        for (index, router) in routers.enumerated() {
            let outside = "\(tag)o\(index)"
            try await net.link(outside, "\(outside)p", between: router.router, "\(router.outside).2/24", and: net.pub, "\(router.outside).1/24", in: scenario)
            try await net.run(ip, ["-n", router.router, "route", "add", "default", "via", "\(router.outside).1"], in: scenario)
            try await net.sysctl(router.router, in: scenario)
            // The LAN: a bridge in the router, each host on a veth to it.
            let bridge = "\(tag)br\(index)"
            try await net.run(ip, ["-n", router.router, "link", "add", bridge, "type", "bridge"], in: scenario)
            try await net.run(ip, ["-n", router.router, "addr", "add", "\(router.lan).1/24", "dev", bridge], in: scenario)
            try await net.run(ip, ["-n", router.router, "link", "set", bridge, "up"], in: scenario)
            for (hostIndex, (host, last)) in router.hosts.enumerated() {
                let inside = "\(tag)h\(index)\(hostIndex)"
                try await net.link(inside, "\(inside)r", between: host, "\(router.lan).\(last)/24", and: router.router, nil, in: scenario)
                try await net.run(ip, ["-n", router.router, "link", "set", "\(inside)r", "master", bridge], in: scenario)
                try await net.run(ip, ["-n", host, "route", "add", "default", "via", "\(router.lan).1"], in: scenario)
            }
            var masquerade = ["-t", "nat", "-A", "POSTROUTING", "-o", outside, "-j", "MASQUERADE"]
            if router.randomPorts { masquerade.append("--random-fully") }
            for rule in [
                masquerade,
                ["-A", "FORWARD", "-i", outside, "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT"],
                ["-A", "FORWARD", "-i", outside, "-j", "DROP"],
                // The router itself answers nothing from outside either (no RST for a closed port).
                ["-A", "INPUT", "-i", outside, "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT"],
                ["-A", "INPUT", "-i", outside, "-j", "DROP"],
            ] {
                try await net.run(ip, ["netns", "exec", router.router, iptables.path] + rule, in: scenario)
            }
        }
        return net
    }

    /// Runs `body` in a fresh scenario with the internet built and the locator and coturn started
    /// on its public side (`locator` is the locator's `HOST:PORT`); tears it all down afterwards.
    static func run(_ body: (_ net: NatInternet, _ locator: String, _ scenario: Scenario) async throws -> Void) async throws {
        try await Scenario.run { scenario in
            let net = try await make(in: scenario)
            try await body(net, try await net.startLocatorAndRelay(in: scenario), scenario)
        }
    }

    /// Starts `executable` (p2pchat unless told otherwise) with `arguments` inside `namespace`.
    func start(
        _ name: String, in namespace: String, _ arguments: [String], executable: URL? = nil, scenario: Scenario
    ) async throws -> ChildProcess {
        try await scenario.start(name, ["netns", "exec", namespace, (executable ?? scenario.binary).path] + arguments, executable: Self.ip)
    }

    /// coturn on the public address, in the REST-API mode the locator's `--turn` expects, and the
    /// locator beside it handing out its credentials; returns the locator's `HOST:PORT`.
    func startLocatorAndRelay(in scenario: Scenario) async throws -> String {
        let secret = (0..<32).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! }
        let secretFile = scenario.path("turn-secret")
        try String(secret).write(to: secretFile, atomically: true, encoding: .utf8)
        let turnDirectory = scenario.path("turn")
        try FileManager.default.createDirectory(at: turnDirectory, withIntermediateDirectories: true)
        let relay = try await start(
            "turnserver", in: pub,
            [
                "-n", "-v", "--listening-ip=\(Self.publicAddress)", "--relay-ip=\(Self.publicAddress)", "--listening-port=3478",
                "--use-auth-secret", "--static-auth-secret=\(String(secret))", "--realm=p2pchat",
                "--no-tls", "--no-dtls", "--no-cli", "--log-file=stdout",
                "--pidfile=\(turnDirectory.path)/turnserver.pid", "--db=\(turnDirectory.path)/turndb",
            ],
            executable: Self.turnserver, scenario: scenario)
        _ = try await relay.waitForLine(timeout: .seconds(30), "coturn's TCP listener") {
            $0.contains("TCP listener opened on : \(Self.publicAddress):3478")
        }
        let locator = try await start(
            "locator", in: pub,
            [
                "locator", "--listen", "\(Self.publicAddress):0", "--data-dir", scenario.path("locator").path,
                "--turn", "turn:\(Self.publicAddress):3478", "--turn-secret-file", secretFile.path,
            ],
            scenario: scenario)
        let prefix = "p2pchat locator listening on \(Self.publicAddress):"
        let line = try await locator.waitForLine(timeout: .seconds(30), "its address") { $0.hasPrefix(prefix) }
        guard let port = Int(line.dropFirst(prefix.count)) else { throw EndToEndError("the locator printed no port: \(line)") }
        return "\(Self.publicAddress):\(port)"
    }

    /// A chat client in `namespace`, listening on every address there, logged in as `user`, with
    /// its relay allocated and its candidates published (it says so in its log); `options` go
    /// after the others (`--audio-in file:…` for a call).
    func client(_ user: String, in namespace: String, locator: String, options: [String] = [], scenario: Scenario) async throws -> ChildProcess {
        let client = try await start(
            user, in: namespace, ["--locator", locator, "--data-dir", scenario.path(user).path, "--json", "--log-level", "info"] + options,
            scenario: scenario)
        try await EndToEndTests.login(client, as: user)
        let published = await poll(timeout: .seconds(30)) { client.errors.lines.contains { $0.contains("published candidates") } ? true : nil }
        guard published != nil else { throw EndToEndError("\(user) published no candidates\n\(client.report())") }
        return client
    }

    /// The public side drops (`blocked`) or forwards again what goes between the two cone
    /// routers, so that only the relay, which `pub` itself runs, joins `coneA` and `coneC`.
    func blockBetweenCones(_ blocked: Bool, in scenario: Scenario) async throws {
        for (from, to) in [("203.0.113.2", "100.64.0.2"), ("100.64.0.2", "203.0.113.2")] {
            let rule = ["FORWARD", "-s", from, "-d", to, "-j", "DROP"]
            try await run(Self.ip, ["netns", "exec", pub, Self.iptables.path, blocked ? "-I" : "-D"] + rule, in: scenario)
        }
    }

    @discardableResult
    func run(_ executable: URL, _ arguments: [String], in scenario: Scenario) async throws -> [String] {
        let command = try await scenario.start("\(executable.lastPathComponent) \(arguments.prefix(4).joined(separator: " "))", arguments, executable: executable)
        command.closeInput()
        let status = try await command.waitForExit(timeout: .seconds(10))
        guard status == 0 else {
            throw EndToEndError("\(executable.lastPathComponent) \(arguments.joined(separator: " ")) exited with \(status): \(command.errors.tail(5))")
        }
        return command.output.lines
    }

    /// A veth pair, `first` in `firstNamespace` with `firstAddress`, `second` in `secondNamespace`
    /// (with `secondAddress` when given), both up.
    private func link(
        _ first: String, _ second: String, between firstNamespace: String, _ firstAddress: String,
        and secondNamespace: String, _ secondAddress: String?, in scenario: Scenario
    ) async throws {
        try await run(Self.ip, ["link", "add", first, "netns", firstNamespace, "type", "veth", "peer", "name", second, "netns", secondNamespace], in: scenario)
        try await run(Self.ip, ["-n", firstNamespace, "addr", "add", firstAddress, "dev", first], in: scenario)
        try await run(Self.ip, ["-n", firstNamespace, "link", "set", first, "up"], in: scenario)
        if let secondAddress { try await run(Self.ip, ["-n", secondNamespace, "addr", "add", secondAddress, "dev", second], in: scenario) }
        try await run(Self.ip, ["-n", secondNamespace, "link", "set", second, "up"], in: scenario)
    }

    private func sysctl(_ namespace: String, in scenario: Scenario) async throws {
        // Written through /proc rather than sysctl(8), which a minimal system may lack.
        try await run(Self.ip, ["netns", "exec", namespace, "/bin/sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward"], in: scenario)
    }
}
