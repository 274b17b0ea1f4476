import ArgumentParser
import ChatIdentity
import Foundation
import Locator
import Logging
import NIOCore

extension P2PChat {
    struct Locator: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the locator server that tells clients who is online and where.",
            discussion: """
                One TCP port serves both the modern protocol (TLS, first byte 0x16) and the course \
                server's plain-text protocol, byte for byte.
                """
        )

        @Option(help: ArgumentHelp("Address and port to listen on; port 0 picks a free one.", valueName: "host:port"))
        var listen = HostPort(host: "0.0.0.0", port: 8000)

        @Option(help: ArgumentHelp("The SQLite file with the accounts (default: accounts.sqlite in --data-dir).", valueName: "path"),
                completion: .file())
        var db: String?

        @Option(help: ArgumentHelp("Directory for the locator's TLS identity and default database (default: $XDG_DATA_HOME/p2pchat/locator).", valueName: "dir"),
                completion: .directory)
        var dataDir: String?

        @Option(help: ArgumentHelp("The shared password of the course protocol.", valueName: "password"))
        var legacyPassword = "net2019"

        @Option(help: ArgumentHelp("A file with one allowed id a line; other course-protocol ids get 'Incorrect No.'.", valueName: "file"),
                completion: .file())
        var roster: String?

        @Option(help: "open: the first login of a new name registers it; closed: only names on the roster may register.")
        var registration: LocatorConfiguration.Registration = .open

        @Option(help: ArgumentHelp("Close connections that send nothing for this many seconds.", valueName: "seconds"))
        var idleTimeout = 120

        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard listen.port >= 0 else { throw ValidationError("--listen needs a port") }
            guard idleTimeout > 0 else { throw ValidationError("--idle-timeout must be positive") }
            if registration == .closed, roster == nil {
                throw ValidationError("--registration closed needs --roster FILE (who may register)")
            }
        }

        func run() async throws {
            let logger = common.makeLogger(label: "p2pchat.locator")
            let directory = dataDir.map { URL(fileURLWithPath: $0) } ?? defaultDataDirectory().appendingPathComponent("locator")
            var configuration = LocatorConfiguration(host: listen.host, port: listen.port, directory: directory)
            if let db { configuration.databasePath = db }
            configuration.legacyPassword = legacyPassword
            configuration.registration = registration
            configuration.idleTimeout = .seconds(Int64(idleTimeout))
            do {
                try DataDirectory.prepare(directory)
                configuration.roster = try roster.map(Roster.load(from:))
                let server = try await LocatorServer.bind(configuration: configuration, logger: logger)
                say("p2pchat locator listening on \(server.localAddress.hostPort)")
                say("fingerprint \(server.fingerprint.grouped)")
                try await server.run()
            } catch {
                FileHandle.standardError.write(Data("p2pchat locator: \(error)\n".utf8))
                throw ExitCode.failure
            }
        }
    }
}

extension LocatorConfiguration.Registration: ExpressibleByArgument {}
