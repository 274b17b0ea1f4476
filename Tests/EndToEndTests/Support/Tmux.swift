import Foundation

/// A private tmux server (its own socket, `tmux -L p2pchat-e2e-<pid>`, and no user configuration),
/// so a test types into real terminals without touching anyone's sessions.
struct Tmux: Sendable {
    let scenario: Scenario
    let socket: String
    let executable: URL
    let configuration: URL

    /// tmux from `PATH`, if it is installed.
    static let installed: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("tmux") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Prepares a server for `scenario`; it is killed when the scenario tears down.
    init(scenario: Scenario) throws {
        guard let executable = Self.installed else { throw EndToEndError("tmux is not installed") }
        self.scenario = scenario
        self.executable = executable
        self.socket = "p2pchat-e2e-\(getpid())"
        self.configuration = scenario.path("tmux.conf")
        // Keep a pane that exits on screen, so a failure shows what the program printed last.
        try "set -g remain-on-exit on\nset -g status off\n".write(to: configuration, atomically: true, encoding: .utf8)
        // tmux keeps its socket in $TMUX_TMPDIR (or /tmp)/tmux-UID/; the server leaves it behind.
        let base = scenario.environment["TMUX_TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let socketFile = URL(fileURLWithPath: base).appendingPathComponent("tmux-\(getuid())/\(socket)")
        let this = self
        scenario.onTearDown {
            _ = try? await this.tmux(["kill-server"])
            try? FileManager.default.removeItem(at: socketFile)
        }
    }

    /// Runs one tmux command against the private server and gives its standard output.
    @discardableResult
    func tmux(_ arguments: [String]) async throws -> [String] {
        let client = try await scenario.start(
            "tmux \(arguments.first ?? "")", ["-L", socket, "-f", configuration.path] + arguments, executable: executable)
        client.closeInput()
        let status = try await client.waitForExit(timeout: .seconds(10))
        guard status == 0 else {
            throw EndToEndError("tmux \(arguments.joined(separator: " ")) exited with \(status): \(client.errors.tail(5))")
        }
        return client.output.lines
    }

    /// A detached session called `name`, `width`×`height`, running `command` (a shell command line).
    func newSession(_ name: String, width: Int = 100, height: Int = 30, command: String) async throws {
        // The first client starts the server, which inherits its descriptors: its output goes to
        // /dev/null (or the pipes would never end), and Foundation, which learns of a child's exit
        // from a descriptor the child inherited, sees it exit only with the server. So this waits
        // for the session to exist rather than for the client to end.
        let client = try await scenario.start(
            "tmux new-session",
            ["-L", socket, "-f", configuration.path, "new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", command],
            executable: executable, discardingOutput: true)
        client.closeInput()
        let ready = await poll(timeout: .seconds(10), every: .milliseconds(50)) { () -> Bool? in
            (try? await tmux(["has-session", "-t", name])) != nil ? true : nil
        }
        guard ready != nil else { throw EndToEndError("tmux did not start the session \(name)") }
    }

    /// Types `text` literally (no key names), as a user would.
    func type(_ text: String, into target: String) async throws {
        try await tmux(["send-keys", "-t", target, "-l", text])
    }

    /// Presses keys given by name: `Enter`, `Tab`, `C-u`.
    func press(_ keys: String..., in target: String) async throws {
        try await tmux(["send-keys", "-t", target] + keys)
    }

    /// The visible screen, one string per row, trailing blanks removed.
    func screen(_ target: String) async throws -> [String] {
        try await tmux(["capture-pane", "-p", "-t", target])
    }

    /// The screen rows without the blank ones at the bottom.
    func visibleRows(_ target: String) async throws -> [String] {
        var rows = try await screen(target)
        while let last = rows.last, last.allSatisfy(\.isWhitespace) { rows.removeLast() }
        return rows
    }

    /// `#{...}` formats for the pane: `cursor_x`, `pane_pid`, `pane_dead`.
    func display(_ format: String, _ target: String) async throws -> String {
        try await tmux(["display-message", "-p", "-t", target, format]).first ?? ""
    }

    /// Polls the screen until `predicate` holds, failing with the screen after `timeout`.
    @discardableResult
    func waitForScreen(
        _ target: String, _ what: String, timeout: Duration = .seconds(15), where predicate: ([String]) -> Bool
    ) async throws -> [String] {
        var last: [String] = []
        let found = try await poll(timeout: timeout, every: .milliseconds(100)) { () -> [String]? in
            last = try await visibleRows(target)
            return predicate(last) ? last : nil
        }
        guard let found else {
            throw EndToEndError("the \(target) pane did not show \(what) within \(timeout); it shows:\n" + last.joined(separator: "\n"))
        }
        return found
    }
}
