import ChatEngine
import ChatIdentity
import Foundation
import Logging

/// `bench locator --failover`: two replicas over one PostgreSQL and `clients` locator clients
/// given both (`--locator a,b`). The replica the clients are at is killed with SIGKILL, `kills`
/// times (started again after each, on its port); each time, how long until every client is
/// logged in again at the other. The ceiling, measured in the same run: the same clients
/// logging in with passwords at a replica that is up (at most `coldLoginsAtOnce` at a time), which
/// a failover without resumption tokens could never beat.
struct LocatorFailover {
    let store: String
    let storePasswordFile: String?
    let clients: Int
    let kills: Int
    let scratch: URL

    struct Result {
        /// From each SIGKILL until the last client was logged in again.
        var failovers: [Duration]
        /// From each SIGKILL until each client was logged in again, all kills together.
        var perClient: [Duration]
        /// The clients' first login, all at once, at a replica that is up.
        var coldLogin: Duration
    }

    func run() async throws -> Result {
        let keyFile = scratch.appendingPathComponent("service.key")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let key = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        FileManager.default.createFile(atPath: keyFile.path, contents: Data(key.utf8), attributes: [.posixPermissions: 0o600])
        var arguments = ["--store", store, "--store-key-file", keyFile.path]
        if let storePasswordFile { arguments += ["--store-password-file", storePasswordFile] }

        var replicas = [
            try await LocatorChild.start(directory: scratch.appendingPathComponent("a"), arguments: arguments),
            try await LocatorChild.start(directory: scratch.appendingPathComponent("b"), arguments: arguments),
        ]
        defer { for replica in replicas { replica.stop() } }
        let ports = replicas.map(\.port)
        let arrivals = Arrivals(clients: clients)
        let sessions = try startClients(at: ports)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, client) in sessions.enumerated() {
                let updates = client.updates
                // Ends when the client stops, below.
                group.addTask { for await update in updates where update == .connected { await arrivals.connected(index) } }
            }
            defer { group.cancelAll() }
            do {
                let result = try await measure(sessions, arrivals: arrivals, replicas: &replicas, ports: ports, arguments: arguments)
                for client in sessions { await client.stop() }
                return result
            } catch {
                for client in sessions { await client.stop() }
                throw error
            }
        }
    }

    private func measure(
        _ sessions: [any LocatorClient], arrivals: Arrivals, replicas: inout [LocatorChild], ports: [Int], arguments: [String]
    ) async throws -> Result {
        let coldStart = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, client) in sessions.enumerated() {
                if index >= Self.coldLoginsAtOnce { try await group.next() }
                group.addTask { try await client.start(peerPort: 40000, fingerprint: Self.advertised) }
            }
            try await group.waitForAll()
        }
        let coldLogin = ContinuousClock.now - coldStart
        await arrivals.waitForAll(logins: 1)

        var result = Result(failovers: [], perClient: [], coldLogin: coldLogin)
        // The clients tried the first replica first, so they are all there.
        var victim = 0
        for kill in 1...kills {
            replicas[victim].kill()
            let killed = ContinuousClock.now
            let times = await arrivals.waitForAll(logins: kill + 1)
            result.perClient += times.map { $0 - killed }
            result.failovers.append((times.max() ?? killed) - killed)
            replicas[victim] = try await LocatorChild.start(
                directory: scratch.appendingPathComponent(victim == 0 ? "a" : "b"), port: ports[victim], arguments: arguments)
            victim = 1 - victim
        }
        return result
    }

    private func startClients(at ports: [Int]) throws -> [any LocatorClient] {
        let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let addresses = ports.map { LocatorAddress(host: "127.0.0.1", port: $0) }
        return (0..<clients).map { index in
            LocatorClient.Mode.modern.makeClient(
                addresses: addresses, user: "failover\(index)", password: "bench password \(index)",
                knownLocatorsFile: scratch.appendingPathComponent("known_locators-\(index)"), logger: logger)
        }
    }

    /// How many first logins are in flight at once. Each is two scrypt hashes (registration,
    /// login), about 19 a second on two cores in release when they are idle: thousands at once
    /// would wait longer than a client's 20 s for their answers, and on a busy machine so did 32.
    /// The total is scrypt's rate either way.
    static let coldLoginsAtOnce = 8

    /// What the clients advertise: made up, nobody dials them.
    static let advertised = Fingerprint(hex: String(repeating: "ab", count: 32))!
}
