import Dispatch
import Foundation
import NatTopology
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The small internet of `NatTopology` built for `bench paths`: coturn and a locator on its
/// public side, chat clients started in its homes. `tearDown` ends every program it started and
/// deletes the namespaces and the scratch directory; it runs when the benchmark ends, fails, or
/// gets SIGINT or SIGTERM.
final class PathsLab: Sendable {
    let topology: NatTopology
    /// Where the clients' data, coturn's and the locator's files go.
    let scratch: URL
    private let programs = Mutex<[Process]>([])
    private let clients = Mutex<[BenchClient]>([])
    private let signals = Mutex<[any DispatchSourceSignal]>([])
    /// Whether it is torn down; held for the whole tear-down, so a second caller waits for the first.
    private let tornDown = Mutex(false)
    private let locatorAddress = Mutex<String?>(nil)
    private static let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()

    /// Why it cannot be built here, in words, or nil.
    static var unavailableReason: String? {
        NatTopology.missing(isRoot: geteuid() == 0, isExecutable: FileManager.default.isExecutableFile(atPath:))
    }

    /// Builds the namespaces and starts coturn and the locator; tears down what it built when
    /// that fails.
    init(scratch: URL) async throws {
        self.scratch = scratch
        topology = NatTopology(tag: "b\(getpid() % 100_000)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        catchSignals()
        do {
            for command in topology.buildCommands { try Self.ip(command) }
            try await startRelayAndLocator()
        } catch {
            tearDown()
            throw error
        }
    }

    /// The locator's `HOST:PORT`.
    var locator: String { locatorAddress.withLock { $0 ?? "" } }

    /// A `p2pchat --json` client in `namespace` with its data in `scratch/user` (kept between
    /// starts), accepting files up to `autoAccept` bytes; `options` go after the others. Its log
    /// (info) is among its lines: it says when its candidates are published.
    func client(_ user: String, in namespace: String, autoAccept: Int64, options: [String] = []) throws -> BenchClient {
        try whileStanding {
            let client = try BenchClient(
                name: user, executable: URL(fileURLWithPath: NatTopology.ip),
                arguments: [
                    "netns", "exec", namespace, Self.executable.path, "chat", "--locator", locator,
                    "--data-dir", scratch.appendingPathComponent(user).path, "--json", "--log-level", "info",
                    "--auto-accept", "\(autoAccept)",
                ] + options,
                withLog: true)
            clients.withLock { $0.append(client) }
            return client
        }
    }

    /// Runs `body`, which starts a program, unless the lab is torn down; a tear-down waits for
    /// it, so that no program started meanwhile outlives the lab.
    private func whileStanding<Result>(_ body: () throws -> Result) throws -> Result {
        try tornDown.withLock { done in
            guard !done else { throw BenchClient.Failure(description: "the namespaces are deleted already") }
            return try body()
        }
    }

    /// Ends every program and deletes the namespaces; once, whoever calls first, and the others
    /// wait until it is done.
    func tearDown() {
        tornDown.withLock { done in
            guard !done else { return }
            done = true
            tearDownNow()
        }
    }

    /// SIGKILL for every program: they inherit SIGINT and SIGTERM ignored (see `catchSignals`),
    /// and what they would save on a clean stop is deleted with the scratch directory.
    private func tearDownNow() {
        for client in clients.withLock({ $0 }) { client.kill() }
        for program in programs.withLock({ $0 }) where program.isRunning {
            kill(program.processIdentifier, SIGKILL)
            program.waitUntilExit()
        }
        for command in topology.teardownCommands { try? Self.ip(command) }
        try? FileManager.default.removeItem(at: scratch)
    }

    // MARK: Starting

    private func startRelayAndLocator() async throws {
        let secret = String((0..<32).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
        let secretFile = scratch.appendingPathComponent("turn-secret")
        try secret.write(to: secretFile, atomically: true, encoding: .utf8)
        let turnDirectory = scratch.appendingPathComponent("turn")
        try FileManager.default.createDirectory(at: turnDirectory, withIntermediateDirectories: true)
        let relayLog = try start(
            NatTopology.turnserver, NatTopology.turnserverArguments(secret: secret, directory: turnDirectory.path), output: "turnserver.out")
        _ = try await line(in: relayLog, of: "coturn") { $0.contains(NatTopology.relayReadyLine) }

        let locatorLog = try start(
            Self.executable.path,
            NatTopology.locatorArguments(dataDirectory: scratch.appendingPathComponent("locator").path, secretFile: secretFile.path) + [
                "--log-level", "error",
                // Every client behind one router shares its address, and the tries log in again and again.
                "--max-connections-per-address", "100000", "--registration-rate", "100000", "--legacy-login-rate", "100000",
                "--registration-rate-total", "100000", "--hash-queue-per-address", "100000",
            ],
            output: "locator.out")
        let prefix = "p2pchat locator listening on \(NatTopology.publicAddress):"
        let line = try await line(in: locatorLog, of: "the locator") { $0.hasPrefix(prefix) }
        guard let port = Int(line.dropFirst(prefix.count)) else { throw BenchClient.Failure(description: "the locator printed no port: \(line)") }
        locatorAddress.withLock { $0 = "\(NatTopology.publicAddress):\(port)" }
    }

    /// Starts `program` in the public namespace, its output into `scratch/output`; returns that file.
    private func start(_ program: String, _ arguments: [String], output: String) throws -> URL {
        let log = scratch.appendingPathComponent(output)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: NatTopology.ip)
        process.arguments = ["netns", "exec", topology.pub, program] + arguments
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
        process.standardInput = FileHandle.nullDevice
        try whileStanding {
            try process.run()
            programs.withLock { $0.append(process) }
        }
        return log
    }

    /// The first line of `log` that `matches`, waiting up to 30 s.
    private func line(in log: URL, of program: String, matching matches: (Substring) -> Bool) async throws -> Substring {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: matches) { return line }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchClient.Failure(description: "\(program) did not start (see \(log.path))")
    }

    /// Runs `ip` with `arguments` and waits; throws with its error output when it fails.
    private static func ip(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: NatTopology.ip)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: said, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw BenchClient.Failure(description: "ip \(arguments.joined(separator: " ")): \(text)")
        }
    }

    /// On Ctrl-C or a kill, tears down first: namespaces outlive the process that made them. The
    /// process exits while it holds the tear-down, so the benchmark, whose clients have just
    /// gone, cannot report that as a failure of its own and exit before the namespaces are deleted.
    private func catchSignals() {
        // A reader of the figures that went away (`| head`) is no reason to leave the namespaces.
        signal(SIGPIPE, SIG_IGN)
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            // Made inside the lock, so that the source never leaves this task's region.
            signals.withLock { sources in
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { [self] in
                    tornDown.withLock { done in
                        if !done { tearDownNow() }
                        done = true
                        try? FileHandle.standardError.write(contentsOf: Data("bench paths: interrupted; its namespaces are deleted\n".utf8))
                        exit(128 + number)
                    }
                }
                source.resume()
                sources.append(source)
            }
        }
    }
}
