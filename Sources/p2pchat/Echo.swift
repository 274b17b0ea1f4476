import ArgumentParser
import CommandLineSupport
import Foundation

extension P2PChat {
    struct Echo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the echo user: it befriends anyone, echoes messages, hashes files and plays calls back.",
            discussion: """
                Logs in as --id (default echo), accepts every friend request, sends every message back \
                prefixed 'echo: ', answers every file (up to 100 MiB) with its size and SHA-256, and \
                answers every call with the caller's own audio. The locator that \
                the chat shell starts when nothing answers at 127.0.0.1:8000 runs one unless --no-echo.
                """
        )

        @Option(help: ArgumentHelp(
            "The locator to log in at; several replicas of one service are separated by commas (a:8000,b:8000).",
            valueName: "host:port,..."))
        var locator = HostPortList([HostPort(host: "127.0.0.1", port: 8000)])

        @Option(help: ArgumentHelp("The echo user's id.", valueName: "id"))
        var id = "echo"

        @Option(help: ArgumentHelp("Where the echo user's identity and messages live (default: $XDG_DATA_HOME/p2pchat/echo-peer).", valueName: "dir"),
                completion: .directory)
        var dataDir: String?

        @Option(help: ArgumentHelp("Where the peer listener binds (default: 0.0.0.0 on a free port).", valueName: "host"))
        var listen = "0.0.0.0"

        @OptionGroup var common: CommonOptions

        func run() async throws {
            let logger = common.makeLogger(label: "p2pchat.echo")
            let directory = dataDir.map { URL(fileURLWithPath: $0) } ?? defaultDataDirectory().appendingPathComponent("echo-peer")
            // Caught from before the login on, so that a stop always logs out.
            let signals = TerminationSignals()
            let peer: EchoPeer
            do {
                peer = try await EchoPeer.start(
                    user: id, dataDirectory: directory, locators: locator.locatorAddresses,
                    listenHost: listen, logger: logger)
            } catch {
                try? FileHandle.standardError.write(contentsOf: Data("p2pchat echo: \(error)\n".utf8))
                throw ExitCode.failure
            }
            say("p2pchat echo: logged in as \(id) at \(locator)")
            let stoppedBy = try await signals.run({ await peer.run() }) { signal in
                say("p2pchat echo: \(TerminationSignals.name(of: signal)), logging out")
                await peer.stop()
            }
            if stoppedBy != nil { say("p2pchat echo stopped") }
        }
    }
}
