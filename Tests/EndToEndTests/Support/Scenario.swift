import Foundation
import Synchronization
import TestSupport

/// What one end-to-end test starts, and its cleanup: a private directory for every data directory,
/// the programs, and anything else registered. ``run(_:)`` kills every program and removes the
/// directory when the test ends, whether it passed, failed or threw.
final class Scenario: Sendable {
    /// The password every user of a scenario logs in with (through `P2PCHAT_PASSWORD`).
    static let password = "correct horse battery"

    let directory: TemporaryDirectory
    let binary: URL
    private let children = Mutex<[ChildProcess]>([])
    private let cleanups = Mutex<[@Sendable () async -> Void]>([])

    private init() throws {
        binary = try ChatBinary.url()
        directory = try TemporaryDirectory(prefix: "p2pchat-e2e")
    }

    /// Runs `body` with a fresh scenario and tears it down afterwards, whatever happens.
    static func run(_ body: (Scenario) async throws -> Void) async throws {
        let scenario = try Scenario()
        do {
            try await body(scenario)
        } catch {
            await scenario.tearDown()
            throw error
        }
        await scenario.tearDown()
    }

    /// A path inside the scenario's directory.
    func path(_ name: String) -> URL {
        directory.url.appendingPathComponent(name)
    }

    /// The environment of every program: its own home and data directories, no colours, the password.
    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("P2PCHAT_") || key == "TMUX" || key == "TMUX_PANE" {
            environment[key] = nil
        }
        environment["HOME"] = path("home").path
        environment["XDG_DATA_HOME"] = path("xdg").path
        environment["NO_COLOR"] = "1"
        environment["P2PCHAT_PASSWORD"] = Self.password
        return environment
    }

    /// Starts `executable` (the p2pchat binary unless told otherwise); killed at tear-down.
    func start(
        _ name: String, _ arguments: [String], executable: URL? = nil, discardingOutput: Bool = false
    ) async throws -> ChildProcess {
        let child = try await ChildProcess.start(
            name: name, executable: executable ?? binary, arguments: arguments, environment: environment,
            discardingOutput: discardingOutput)
        children.withLock { $0.append(child) }
        return child
    }

    /// Starts `p2pchat locator` on 127.0.0.1 (port 0: a free one) with its data in `dataDirectory`
    /// and further `options`, and waits until it says where it listens.
    func startLocator(
        port: Int = 0, dataDirectory: String = "locator", options: [String] = []
    ) async throws -> (process: ChildProcess, port: Int) {
        let locator = try await start(
            "locator", ["locator", "--listen", "127.0.0.1:\(port)", "--data-dir", path(dataDirectory).path] + options)
        let prefix = "p2pchat locator listening on 127.0.0.1:"
        let line = try await locator.waitForLine(timeout: .seconds(30), "'\(prefix)PORT'") { $0.hasPrefix(prefix) }
        guard let bound = Int(line.dropFirst(prefix.count)), bound > 0 else {
            throw EndToEndError("the locator printed no port: \(line)")
        }
        if port != 0 && bound != port { throw EndToEndError("the locator bound \(bound), not \(port)") }
        return (locator, bound)
    }

    /// Starts `p2pchat echo` logging in at the locator on `locatorPort`, with its data in
    /// `<scenario>/echo`, and waits until it says it logged in.
    func startEcho(locatorPort: Int) async throws -> ChildProcess {
        let echo = try await start(
            "echo", ["echo", "--locator", "127.0.0.1:\(locatorPort)", "--listen", "127.0.0.1", "--data-dir", path("echo").path])
        try await echo.waitForLine(timeout: .seconds(30), "'logged in'") { $0.hasPrefix("p2pchat echo: logged in as echo") }
        return echo
    }

    /// Starts a scripted `--json` client whose data root is `<scenario>/<user>` (so the same user
    /// finds its data again when started anew), with further `options`; lines are sent to it with `send`.
    func startClient(_ user: String, locatorPort: Int, json: Bool = true, options: [String] = []) async throws -> ChildProcess {
        var arguments = [
            "--locator", "127.0.0.1:\(locatorPort)", "--listen", "127.0.0.1:0", "--data-dir", path(user).path,
        ] + options
        if json { arguments.append("--json") }
        return try await start(user, arguments)
    }

    /// Something to do at tear-down, before the programs are killed (stopping a tmux server).
    func onTearDown(_ cleanup: @escaping @Sendable () async -> Void) {
        cleanups.withLock { $0.append(cleanup) }
    }

    private func tearDown() async {
        for cleanup in cleanups.withLock({ $0 }).reversed() { await cleanup() }
        for child in children.withLock({ $0 }) { await child.kill() }
        directory.remove()
    }
}
