/// A small internet in network namespaces, written down as the `ip` commands that build it: a
/// "public" namespace that routes between two public hosts and four home routers, and a home
/// behind each. Only addresses inside the namespaces are used. The end-to-end tests and
/// `p2pchat bench paths` both run these commands, each with its own way of starting programs.
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
/// something that went out, as a home router does. `cone` keeps a local port's mapping for every
/// destination (a port-restricted cone); the `sym` routers give each destination a new port
/// (symmetric), so only the relay gets through them.
public struct NatTopology: Sendable {
    /// The public side's address, where the locator, coturn and a public client run.
    public static let publicAddress = "203.0.113.1"
    /// coturn's port on `publicAddress`.
    public static let relayPort = 3478
    public static let ip = "/usr/sbin/ip"
    public static let iptables = "/usr/sbin/iptables"
    public static let turnserver = "/usr/bin/turnserver"

    /// The namespaces: `pub`, the two public clients' (on networks of their own), and the homes' hosts.
    public let pub: String
    public let open: String
    public let openB: String
    public let coneA: String
    public let coneB: String
    public let symA: String
    public let symB: String
    /// Behind a second cone router: a cone home other than `coneA`'s (hole punching between them).
    public let coneC: String
    /// `cone`, `sym1`, `sym2`, `cone2`.
    public let routers: [String]
    /// What every namespace's and interface's name starts with (a few characters: an interface
    /// name has at most 15).
    public let tag: String

    public init(tag: String) {
        self.tag = tag
        pub = "\(tag)pub"
        open = "\(tag)open"
        openB = "\(tag)openb"
        coneA = "\(tag)ca"
        coneB = "\(tag)cb"
        symA = "\(tag)sa"
        symB = "\(tag)sb"
        coneC = "\(tag)cc"
        routers = ["\(tag)cone", "\(tag)sym1", "\(tag)sym2", "\(tag)cone2"]
    }

    /// Every namespace, hosts and routers.
    public var namespaces: [String] { [pub, open, openB, coneA, coneB, symA, symB, coneC] + routers }

    /// What is missing on this machine to build it (root, `ip`, `iptables`, coturn's
    /// `turnserver`), in words, or nil; `isExecutable` tells whether a path is an executable file.
    public static func missing(isRoot: Bool, isExecutable: (String) -> Bool) -> String? {
        var missing = isRoot ? [] : ["root"]
        for (tool, package) in [(ip, "iproute2"), (iptables, "iptables"), (turnserver, "coturn")] where !isExecutable(tool) {
            missing.append("\(tool) (Debian's \(package))")
        }
        return missing.isEmpty ? nil : "needs " + missing.joined(separator: ", ")
    }

    /// The arguments of `ip`, one command after another, that build it.
    public var buildCommands: [[String]] {
        var commands: [[String]] = []
        for namespace in namespaces {
            commands += [["netns", "add", namespace], ["-n", namespace, "link", "set", "lo", "up"]]
        }
        commands.append(forwarding(in: pub))
        commands += link("\(tag)pc", in: open, "198.18.0.2/24", to: pub, "198.18.0.1/24")
        commands.append(["-n", open, "route", "add", "default", "via", "198.18.0.1"])
        commands += link("\(tag)pd", in: openB, "198.19.0.2/24", to: pub, "198.19.0.1/24")
        commands.append(["-n", openB, "route", "add", "default", "via", "198.19.0.1"])
        for (index, home) in homes.enumerated() {
            commands += router(index, home)
        }
        return commands
    }

    /// The arguments of `ip` that delete it; each may fail when building stopped half-way.
    public var teardownCommands: [[String]] { namespaces.map { ["netns", "del", $0] } }

    /// The arguments of `ip` that make the public side drop (`blocked`) or forward again what
    /// goes between the two cone routers, so that only the relay, which `pub` itself runs, joins
    /// `coneA` and `coneC`.
    public func blockBetweenConesCommands(_ blocked: Bool) -> [[String]] {
        [("203.0.113.2", "100.64.0.2"), ("100.64.0.2", "203.0.113.2")].map { from, to in
            ["netns", "exec", pub, Self.iptables, blocked ? "-I" : "-D", "FORWARD", "-s", from, "-d", to, "-j", "DROP"]
        }
    }

    /// coturn's arguments on the public address, in the REST-API mode the locator's `--turn`
    /// expects, keeping its files in `directory`.
    public static func turnserverArguments(secret: String, directory: String) -> [String] {
        [
            "-n", "-v", "--listening-ip=\(publicAddress)", "--relay-ip=\(publicAddress)", "--listening-port=\(relayPort)",
            "--use-auth-secret", "--static-auth-secret=\(secret)", "--realm=p2pchat",
            "--no-tls", "--no-dtls", "--no-cli", "--log-file=stdout",
            "--pidfile=\(directory)/turnserver.pid", "--db=\(directory)/turndb",
        ]
    }

    /// The line coturn prints once its TCP listener is open.
    public static let relayReadyLine = "TCP listener opened on : \(publicAddress):\(relayPort)"

    /// `p2pchat locator`'s arguments beside coturn, with its data in `dataDirectory` and the
    /// shared secret in `secretFile`.
    public static func locatorArguments(dataDirectory: String, secretFile: String) -> [String] {
        [
            "locator", "--listen", "\(publicAddress):0", "--data-dir", dataDirectory,
            "--turn", "turn:\(publicAddress):\(relayPort)", "--turn-secret-file", secretFile,
        ]
    }

    // MARK: The parts

    /// A home router: its outside network (the first three numbers), its LAN's, whether it maps
    /// each destination to a new port, and its hosts with their last number.
    private struct Home {
        var router: String
        var outside: String
        var lan: String
        var randomPorts: Bool
        var hosts: [(namespace: String, last: String)]
    }

    private var homes: [Home] {
        [
            Home(router: routers[0], outside: "203.0.113", lan: "192.168.77", randomPorts: false, hosts: [(coneA, "2"), (coneB, "3")]),
            Home(router: routers[1], outside: "198.51.100", lan: "192.168.78", randomPorts: true, hosts: [(symA, "2")]),
            Home(router: routers[2], outside: "192.0.2", lan: "192.168.79", randomPorts: true, hosts: [(symB, "2")]),
            Home(router: routers[3], outside: "100.64.0", lan: "192.168.80", randomPorts: false, hosts: [(coneC, "2")]),
        ]
    }

    /// The router's outside link to pub, its LAN (a bridge, each host on a veth to it), NAT and a firewall.
    private func router(_ index: Int, _ home: Home) -> [[String]] {
        let outside = "\(tag)o\(index)"
        var commands = link(outside, in: home.router, "\(home.outside).2/24", to: pub, "\(home.outside).1/24")
        commands.append(["-n", home.router, "route", "add", "default", "via", "\(home.outside).1"])
        commands.append(forwarding(in: home.router))
        let bridge = "\(tag)br\(index)"
        commands += [
            ["-n", home.router, "link", "add", bridge, "type", "bridge"],
            ["-n", home.router, "addr", "add", "\(home.lan).1/24", "dev", bridge],
            ["-n", home.router, "link", "set", bridge, "up"],
        ]
        for (hostIndex, host) in home.hosts.enumerated() {
            let inside = "\(tag)h\(index)\(hostIndex)"
            commands += link(inside, in: host.namespace, "\(home.lan).\(host.last)/24", to: home.router, nil)
            commands.append(["-n", home.router, "link", "set", "\(inside)r", "master", bridge])
            commands.append(["-n", host.namespace, "route", "add", "default", "via", "\(home.lan).1"])
        }
        var masquerade = ["-t", "nat", "-A", "POSTROUTING", "-o", outside, "-j", "MASQUERADE"]
        if home.randomPorts { masquerade.append("--random-fully") }
        let rules = [
            masquerade,
            ["-A", "FORWARD", "-i", outside, "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT"],
            ["-A", "FORWARD", "-i", outside, "-j", "DROP"],
            // The router itself answers nothing from outside either (no RST for a closed port).
            ["-A", "INPUT", "-i", outside, "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT"],
            ["-A", "INPUT", "-i", outside, "-j", "DROP"],
        ]
        return commands + rules.map { ["netns", "exec", home.router, Self.iptables] + $0 }
    }

    /// A veth pair, `first` in `firstNamespace` with `firstAddress`, its peer `first`+"p" (or
    /// +"r" without an address: a bridge port) in `secondNamespace` with `secondAddress`, both up.
    private func link(
        _ first: String, in firstNamespace: String, _ firstAddress: String, to secondNamespace: String, _ secondAddress: String?
    ) -> [[String]] {
        let second = first + (secondAddress == nil ? "r" : "p")
        var commands = [
            ["link", "add", first, "netns", firstNamespace, "type", "veth", "peer", "name", second, "netns", secondNamespace],
            ["-n", firstNamespace, "addr", "add", firstAddress, "dev", first],
            ["-n", firstNamespace, "link", "set", first, "up"],
        ]
        if let secondAddress { commands.append(["-n", secondNamespace, "addr", "add", secondAddress, "dev", second]) }
        commands.append(["-n", secondNamespace, "link", "set", second, "up"])
        return commands
    }

    /// Turns on forwarding in `namespace`, written through /proc rather than sysctl(8), which a
    /// minimal system may lack.
    private func forwarding(in namespace: String) -> [String] {
        ["netns", "exec", namespace, "/bin/sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward"]
    }
}
