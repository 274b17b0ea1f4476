import ArgumentParser
import ChatEngine
import CommandLineSupport
import Foundation
import Logging
import Shell

extension P2PChat {
    /// Which running shell `send`, `file` and `status` talk to, and how they log in without one.
    struct ControlOptions: ParsableArguments {
        @Option(help: ArgumentHelp("Where users' data live (default: $XDG_DATA_HOME/p2pchat).", valueName: "dir"),
                completion: .directory)
        var dataDir: String?

        @Option(help: ArgumentHelp(
            "The user whose shell to use: needed when several are logged in here, or none is.", valueName: "id"))
        var user: String?

        @Option(help: ArgumentHelp(
            "With no shell running: log in with the password on this file's first line (or P2PCHAT_PASSWORD), do the one thing, and log out.",
            valueName: "path"), completion: .file())
        var passwordFile: String?

        @Option(help: ArgumentHelp(
            "With no shell running: the locator to log in at (default: 127.0.0.1:8000); several replicas of one service are separated by commas.",
            valueName: "host:port,..."))
        var locator: HostPortList?

        @OptionGroup var common: CommonOptions

        /// Runs `line` in the user's running shell, or in a login of its own; exits as a script would.
        func run(_ line: String) async throws {
            let dataRoot = dataDir.map { URL(fileURLWithPath: $0) } ?? defaultDataDirectory()
            let logger = common.makeLogger(label: "p2pchat")
            let status: Int32
            if let path = try await runningShell(in: dataRoot) {
                let reply: ControlReply
                do {
                    reply = try await ControlClient.run(line, at: path)
                } catch {
                    throw Self.failure("\(error)")
                }
                for answer in reply.lines {
                    if answer.hasPrefix("err ") {
                        try? FileHandle.standardError.write(contentsOf: Data(("error: " + answer.dropFirst(4) + "\n").utf8))
                    } else {
                        say(String(answer.dropFirst(4)))
                    }
                }
                status = reply.status
            } else {
                // /login without a password takes it from P2PCHAT_PASSWORD, as in any script.
                let hasPassword = passwordFile != nil || ProcessInfo.processInfo.environment["P2PCHAT_PASSWORD"] != nil
                guard let user, hasPassword else {
                    throw Self.failure(
                        "no p2pchat shell is running in \(dataRoot.path): start one, or give --user and --password-file to log in for this one command")
                }
                var login = "/login \(user)"
                if let passwordFile {
                    do {
                        let password = try String(contentsOfFile: passwordFile, encoding: .utf8).split(whereSeparator: \.isNewline).first
                        login += " " + (password.map(String.init) ?? "")
                    } catch {
                        throw Self.failure("cannot read the password file \(passwordFile)")
                    }
                }
                let target = locator ?? HostPortList([HostPort(host: "127.0.0.1", port: 8000)])
                let options = ShellOptions(
                    dataRoot: dataRoot, locators: target.locatorAddresses, locatorMode: .modern,
                    listenHost: "0.0.0.0", listenPort: nil, json: false, color: false)
                status = await ScriptRunner.run(lines: [login, line], options: options, logger: logger)
            }
            if status != 0 { throw ExitCode(status) }
        }

        /// The control socket of the shell to use: `--user`'s, or the one user's who is logged in here.
        private func runningShell(in dataRoot: URL) async throws -> String? {
            func socket(of user: String) -> String {
                dataRoot.appendingPathComponent(user).appendingPathComponent(ControlSocket.fileName).path
            }
            if let user {
                let path = socket(of: user)
                if FileManager.default.fileExists(atPath: path), access(path, R_OK | W_OK) != 0 {
                    throw Self.failure("cannot use \(path): it is another user's")
                }
                return await ControlSocket.isServed(at: path) ? path : nil
            }
            let users = (try? FileManager.default.contentsOfDirectory(atPath: dataRoot.path)) ?? []
            var running: [String] = []
            for user in users.sorted() where await ControlSocket.isServed(at: socket(of: user)) { running.append(user) }
            guard running.count <= 1 else {
                throw Self.failure("several users are logged in here (\(running.joined(separator: ", "))): say which with --user")
            }
            return running.first.map(socket(of:))
        }

        /// One error line on stderr and a script's status for a failed command.
        private static func failure(_ message: String) -> ExitCode {
            try? FileHandle.standardError.write(contentsOf: Data("error: \(message)\n".utf8))
            return ExitCode(1)
        }
    }

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a message from the shell that is running, or from a login of its own.",
            discussion: """
                Hands /msg to the chat shell running for the user in the data directory, through its \
                control socket, and exits once the message is stored and delivered or queued: 0, or \
                1 when it failed (not a friend, ...), or 2 for a wrong id. With no shell running, it \
                logs in itself (--user, --password-file), sends, and logs out.
                """)

        @Argument(help: ArgumentHelp("The friend to write to.", valueName: "id"))
        var id: String

        @Argument(parsing: .remaining, help: ArgumentHelp("The message.", valueName: "text"))
        var text: [String]

        @OptionGroup var control: ControlOptions

        func validate() throws {
            guard !text.isEmpty else { throw ValidationError("say what to send: p2pchat send ID TEXT") }
        }

        func run() async throws {
            try await control.run("/msg \(id) \(text.joined(separator: " "))")
        }
    }

    struct File: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Offer a file from the shell that is running, or from a login of its own.",
            discussion: """
                Hands /file to the running chat shell through its control socket and exits once the \
                offer is made or queued; the shell sends it as the friend accepts.
                """)

        @Argument(help: ArgumentHelp("The friend to send it to.", valueName: "id"))
        var id: String

        @Argument(help: ArgumentHelp("The file.", valueName: "path"), completion: .file())
        var path: String

        @OptionGroup var control: ControlOptions

        func run() async throws {
            // The shell runs elsewhere: it gets the whole path (/file takes the rest of its line as it is).
            try await control.run("/file \(id) \(URL(fileURLWithPath: path).standardizedFileURL.path)")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the status of the shell that is running: who, the locator, friends online, what is queued.")

        @OptionGroup var control: ControlOptions

        func run() async throws {
            try await control.run("/status")
        }
    }
}
