import ArgumentParser
import ChatEngine
import ChatIdentity
import CommandLineSupport
import Foundation
import Locator
import Logging
import NIOCore
import NIOPosix
import Shell

extension P2PChat {
    struct Chat: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start the chat shell (the default).",
            discussion: """
                At a terminal: a prompt with history and Tab completion; type /help. Otherwise each \
                line of standard input is run in order, and the exit status is 0 when every command \
                succeeded, 1 when one failed, 2 when a line was not a valid command.
                """
        )

        @Option(help: ArgumentHelp(
            "The locator to use; several replicas of one service are separated by commas (a:8000,b:8000), and a host name stands for all its addresses. Without it, 127.0.0.1:8000 is used, and started inside this process if nothing answers there.",
            valueName: "host:port,..."))
        var locator: HostPortList?

        @Option(help: ArgumentHelp(
            "A course server (plain-text protocol) to use instead of a p2pchat locator; several are separated by commas.",
            valueName: "host:port,..."))
        var legacyLocator: HostPortList?

        @Option(help: ArgumentHelp("Where users' identities, messages and history live (default: $XDG_DATA_HOME/p2pchat).", valueName: "dir"),
                completion: .directory)
        var dataDir: String?

        @Option(help: ArgumentHelp("Where the peer listener binds (default: 0.0.0.0 on a free port).", valueName: "host:port"))
        var listen: HostPort?

        // Each part's options are a group of their own, in the place their flags always had in `--help`.
        @OptionGroup var transfers: TransferOptions

        @Flag(help: "Print every event as one JSON object per line.")
        var json = false

        @Flag(help: "No ANSI colours (also when NO_COLOR is set).")
        var noColor = false

        @OptionGroup var calls: CallOptions

        @Flag(help: "Do not start the echo user beside a locator started in this process.")
        var noEcho = false

        @Flag(help: ArgumentHelp(
            "Start a new identity for a user whose identity.pem is lost (friends are warned that the key changed).",
            discussion: "Without it, a data directory whose chat.sqlite outlived its identity.pem is refused."))
        var newIdentity = false

        @OptionGroup var common: CommonOptions

        func validate() throws {
            if locator != nil, legacyLocator != nil {
                throw ValidationError("--locator and --legacy-locator exclude each other")
            }
        }

        func run() async throws {
            let dataRoot = dataDir.map { URL(fileURLWithPath: $0) } ?? defaultDataDirectory()
            do {
                try DataDirectory.prepare(dataRoot)
            } catch {
                try? FileHandle.standardError.write(contentsOf: Data("p2pchat: \(error)\n".utf8))
                throw ExitCode.failure
            }
            let interactive = isatty(STDIN_FILENO) == 1
            let logger = makeLogger(dataRoot: dataRoot, interactive: interactive)
            var greeting: [String] = []
            var embedded: LocatorServer?
            let target: HostPortList
            if let legacyLocator {
                target = legacyLocator
            } else if let locator {
                target = locator
            } else {
                let local = HostPort(host: "127.0.0.1", port: 8000)
                target = HostPortList([local])
                if await !Self.isListening(local) {
                    do {
                        embedded = try await startEmbeddedLocator(
                            at: local, dataRoot: dataRoot, logger: embeddedLocatorLogger(logger, interactive: interactive))
                        greeting.append("no locator answered at \(target); started one in this process (other clients on this machine can use it)")
                        if !noEcho { greeting.append("the user echo is online too: /add echo, then /msg echo hi or /call echo") }
                    } catch {
                        greeting.append("no locator at \(target), and starting one failed: \(error)")
                    }
                }
            }
            let serving = embedded.map { server in Task { try await server.run() } }
            // In the background, so the prompt does not wait for it; a request to echo sent
            // before it is online goes out once it is.
            let echo = embedded == nil || noEcho ? nil : Task { () -> EchoPeer? in
                do {
                    return try await EchoPeer.start(
                        user: "echo", dataDirectory: dataRoot.appendingPathComponent("echo-peer"),
                        locators: target.locatorAddresses, listenHost: "127.0.0.1", logger: logger)
                } catch {
                    logger.warning("the echo user did not start: \(error)")
                    return nil
                }
            }
            var options = ShellOptions(
                dataRoot: dataRoot, locators: target.locatorAddresses,
                locatorMode: legacyLocator == nil ? .modern : .course,
                listenHost: listen?.host ?? "0.0.0.0", listenPort: listen?.port,
                json: json,
                color: !noColor && !json && ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(STDOUT_FILENO) == 1)
            options.parts.transfers = transfers.settings
            options.parts.calls = calls.settings
            options.makesNewIdentity = newIdentity
            let status: Int32
            if interactive {
                status = await InteractiveShell.run(options: options, logger: logger, greeting: greeting)
            } else {
                for line in greeting { try? FileHandle.standardError.write(contentsOf: Data("p2pchat: \(line)\n".utf8)) }
                status = await ScriptRunner.run(options: options, logger: logger)
            }
            await echo?.value?.stop()
            await embedded?.shutdown()
            serving?.cancel()
            if status != 0 { throw ExitCode(status) }
        }

        /// Interactive logs go to a file, so they never land in the middle of the prompt.
        private func makeLogger(dataRoot: URL, interactive: Bool) -> Logger {
            guard interactive else { return common.makeLogger(label: "p2pchat") }
            let file = dataRoot.appendingPathComponent("p2pchat.log")
            if !FileManager.default.fileExists(atPath: file.path) {
                _ = FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            guard let handle = try? FileHandle(forWritingTo: file) else { return common.makeLogger(label: "p2pchat") }
            handle.seekToEndOfFile()
            var logger = Logger(label: "p2pchat") { label in FileLogHandler(label: label, handle: handle) }
            logger.logLevel = common.logLevel
            return logger
        }

        /// A script's stderr is the user's: the locator in this process tells its notices (a wrong
        /// password, a client gone) to its own log, not there, where they came before the shell's one
        /// error line. Warnings still show, and `--log-level info` or finer shows everything.
        private func embeddedLocatorLogger(_ logger: Logger, interactive: Bool) -> Logger {
            guard !interactive, common.logLevel == .notice else { return logger }
            var quieter = logger
            quieter.logLevel = .warning
            return quieter
        }

        private func startEmbeddedLocator(at address: HostPort, dataRoot: URL, logger: Logger) async throws -> LocatorServer {
            let directory = dataRoot.appendingPathComponent("locator")
            return try await LocatorServer.bind(
                configuration: LocatorConfiguration(host: address.host, port: address.port, directory: directory),
                logger: logger)
        }

        /// Whether something accepts TCP connections at `address`.
        static func isListening(_ address: HostPort) async -> Bool {
            do {
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connectTimeout(.seconds(1))
                    .connect(host: address.host, port: address.port).get()
                try? await channel.close()
                return true
            } catch {
                return false
            }
        }
    }
}
