import Foundation
import NatTopology
import Synchronization
import Testing
import TestSupport

/// The small internet of `NatTopology` in network namespaces, made by the test and deleted at
/// tear-down (also when it fails), with the locator and coturn on its public side and clients in
/// its homes.
struct NatInternet: Sendable {
    /// The public side's address, where the locator, coturn and a public client run.
    static let publicAddress = NatTopology.publicAddress
    static let ip = URL(fileURLWithPath: NatTopology.ip)
    static let iptables = URL(fileURLWithPath: NatTopology.iptables)
    static let turnserver = URL(fileURLWithPath: NatTopology.turnserver)

    /// The namespaces and the commands that build them.
    let topology: NatTopology
    var pub: String { topology.pub }
    var open: String { topology.open }
    var openB: String { topology.openB }
    var coneA: String { topology.coneA }
    var coneB: String { topology.coneB }
    var symA: String { topology.symA }
    var symB: String { topology.symB }
    /// Behind a second cone router: a cone home other than `coneA`'s (hole punching between them).
    var coneC: String { topology.coneC }
    /// The home routers: `cone` (coneA, coneB), `sym1` (symA), `sym2` (symB), `cone2` (coneC).
    var routers: [String] { topology.routers }

    /// Whether this machine can build it: root, `ip`, `iptables` and `turnserver` installed, and a
    /// probe namespace can really be added and deleted (a container may forbid it).
    static let available: Bool = {
        guard NatTopology.missing(isRoot: getuid() == 0, isExecutable: FileManager.default.isExecutableFile(atPath:)) == nil else { return false }
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
        let net = NatInternet(topology: NatTopology(tag: "n\(getpid() % 100_000)x\(number)"))
        scenario.onTearDown {
            for command in net.topology.teardownCommands { _ = try? await net.run(ip, command, in: scenario) }
        }
        for command in net.topology.buildCommands { try await net.run(ip, command, in: scenario) }
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
            "turnserver", in: pub, NatTopology.turnserverArguments(secret: String(secret), directory: turnDirectory.path),
            executable: Self.turnserver, scenario: scenario)
        _ = try await relay.waitForLine(timeout: .seconds(30), "coturn's TCP listener") { $0.contains(NatTopology.relayReadyLine) }
        let locator = try await start(
            "locator", in: pub, NatTopology.locatorArguments(dataDirectory: scenario.path("locator").path, secretFile: secretFile.path),
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
        for command in topology.blockBetweenConesCommands(blocked) { try await run(Self.ip, command, in: scenario) }
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
}
