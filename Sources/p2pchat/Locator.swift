import ArgumentParser
import ChatIdentity
import ChatWire
import CommandLineSupport
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

        @Option(help: ArgumentHelp(
            "Keep the accounts in PostgreSQL instead of SQLite, shared by several locators: postgresql://USER@HOST:PORT/DB (what it leaves out comes from PGHOST, PGPORT, PGUSER, PGDATABASE, PGSSLMODE; a host starting with / is a Unix socket directory). A password in the URL is refused.",
            valueName: "url"))
        var store: String?

        @Option(help: ArgumentHelp("A file whose first line is the PostgreSQL password (mode 600).", valueName: "file"),
                completion: .file())
        var storePasswordFile: String?

        @Option(help: ArgumentHelp(
            "With --store: the replicas of one service share one TLS identity, kept in the database sealed under the key on this file's first line (at least 32 characters, mode 600; the same file for every replica). The first replica to start writes it.",
            valueName: "file"), completion: .file())
        var storeKeyFile: String?

        @Option(help: ArgumentHelp(
            "PostgreSQL connections at most in the pool (logins, presence, heartbeat). Each locator holds one more that listens for presence changes: four locators at the default of 20 take 84 of PostgreSQL's default max_connections of 100 (3 of which are kept for superusers). A pool the server cannot hold is refused at start.",
            valueName: "n"))
        var storePoolSize = PostgresStoreSettings.defaultPoolSize

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

        @Option(help: ArgumentHelp("Close connections that make no well-formed request for this many seconds.", valueName: "seconds"))
        var idleTimeout = 120

        @Option(help: ArgumentHelp(
            "Close connections whose first byte, TLS handshake, or request started and not finished, takes longer than this many seconds.",
            valueName: "seconds"))
        var requestTimeout = 10

        @Option(help: ArgumentHelp(
            "Connections open at once, in all (default: 90% of the open-file limit, which is raised to its hard limit at start, and at least 64 below it). At the cap the connection idle longest is closed to make room.",
            valueName: "n"))
        var maxConnections: Int?

        @Option(help: ArgumentHelp(
            "Connections open at once from one IP address. At the cap that address's connection idle longest is closed to make room.",
            valueName: "n"))
        var maxConnectionsPerAddress = 256

        @Option(name: .customLong("legacy-ttl"), help: ArgumentHelp("A course-protocol login goes offline after this many seconds (default: 6 hours), or at logout<id>.", valueName: "seconds"))
        var legacyTTL = 21_600

        @Option(help: ArgumentHelp("At most this many course-protocol logins are online; beyond, the oldest goes offline.", valueName: "n"))
        var legacyMaxOnline = 100_000

        @Option(help: ArgumentHelp(
            "Course-protocol logins per second from one IP address (twice as many at once); more wait their turn, up to 2 s, then the connection is closed.",
            valueName: "n"))
        var legacyLoginRate = 20

        @Option(help: ArgumentHelp(
            "New accounts per minute from one IP address (as many at once); more are refused with 'ERR busy'.", valueName: "n"))
        var registrationRate = 20

        @Option(help: ArgumentHelp(
            "New accounts per minute in all (as many at once); more are refused with 'ERR busy'.", valueName: "n"))
        var registrationRateTotal = 120

        @Option(help: ArgumentHelp(
            "Passwords hashed at once (default: one per core); more wait their turn, logins before registrations, addresses in turn.",
            valueName: "n"))
        var hashWorkers: Int?

        @Option(help: ArgumentHelp(
            "New accounts' passwords from one IP address that may wait for a hashing worker; more are refused with 'ERR busy'. (Logins of existing accounts wait in turns by address, without a cap per address, so that a reconnect storm from behind one NAT gets in.)",
            valueName: "n"))
        var hashQueuePerAddress = 64

        @Option(help: ArgumentHelp(
            "Wrong passwords for one account from one IP address before each further one bars that pair for 1 s, 2 s, 4 s ….",
            valueName: "n"))
        var loginFailures = 3

        @Option(help: ArgumentHelp(
            "Wrong passwords from one IP address, over all accounts, before penalties start for the address.", valueName: "n"))
        var loginFailuresPerAddress = 10

        @Option(help: ArgumentHelp("The longest penalty after wrong passwords, in seconds.", valueName: "seconds"))
        var loginPenaltyMax = 600

        @Option(help: ArgumentHelp(
            "Offer logged-in users this TURN relay (coturn with use-auth-secret) and short-lived credentials for it; needs --turn-secret-file.",
            valueName: "turn:host:port"))
        var turn: String?

        @Option(help: ArgumentHelp("The file whose first line is the static-auth-secret shared with the TURN relay.", valueName: "file"),
                completion: .file())
        var turnSecretFile: String?

        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard listen.port >= 0 else { throw ValidationError("--listen needs a port") }
            guard idleTimeout > 0 else { throw ValidationError("--idle-timeout must be positive") }
            guard requestTimeout > 0 else { throw ValidationError("--request-timeout must be positive") }
            if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
            guard maxConnectionsPerAddress > 0 else { throw ValidationError("--max-connections-per-address must be at least 1") }
            guard legacyTTL > 0 else { throw ValidationError("--legacy-ttl must be positive") }
            guard legacyMaxOnline > 0 else { throw ValidationError("--legacy-max-online must be at least 1") }
            guard legacyLoginRate > 0 else { throw ValidationError("--legacy-login-rate must be at least 1") }
            guard registrationRate > 0 else { throw ValidationError("--registration-rate must be at least 1") }
            guard registrationRateTotal > 0 else { throw ValidationError("--registration-rate-total must be at least 1") }
            if let hashWorkers, hashWorkers < 1 { throw ValidationError("--hash-workers must be at least 1") }
            guard hashQueuePerAddress > 0 else { throw ValidationError("--hash-queue-per-address must be at least 1") }
            guard loginFailures >= 0 else { throw ValidationError("--login-failures must not be negative") }
            guard loginFailuresPerAddress >= 0 else { throw ValidationError("--login-failures-per-address must not be negative") }
            guard loginPenaltyMax > 0 else { throw ValidationError("--login-penalty-max must be positive") }
            if let store {
                guard PostgresStoreSettings.isURL(store) else { throw ValidationError("--store takes a postgresql:// URL") }
                guard db == nil else { throw ValidationError("--store and --db name two different account stores; give one") }
            } else if storePasswordFile != nil {
                throw ValidationError("--store-password-file needs --store postgresql://…")
            } else if storeKeyFile != nil {
                throw ValidationError("--store-key-file needs --store postgresql://… (a shared identity lives in the shared database)")
            }
            guard storePoolSize > 0 else { throw ValidationError("--store-pool-size must be at least 1") }
            if let turn, TurnOffer.parseURI(turn) == nil { throw ValidationError("--turn takes turn:HOST:PORT, e.g. turn:203.0.113.1:3478") }
            if (turn == nil) != (turnSecretFile == nil) { throw ValidationError("--turn and --turn-secret-file go together") }
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
            configuration.firstByteTimeout = .seconds(Int64(requestTimeout))
            configuration.maxConnections = maxConnections
            configuration.maxConnectionsPerAddress = maxConnectionsPerAddress
            configuration.legacyTimeToLive = .seconds(Int64(legacyTTL))
            configuration.maxLegacyLogins = legacyMaxOnline
            configuration.legacyLoginsPerSecond = legacyLoginRate
            configuration.registrationsPerMinute = registrationRate
            configuration.registrationsPerMinuteTotal = registrationRateTotal
            configuration.hashingWorkers = hashWorkers
            configuration.hashingQueuePerAddress = hashQueuePerAddress
            configuration.loginFailuresPerAccount = loginFailures
            configuration.loginFailuresPerAddress = loginFailuresPerAddress
            configuration.longestLoginPenalty = .seconds(Int64(loginPenaltyMax))
            do {
                try DataDirectory.prepare(directory)
                configuration.roster = try roster.map(Roster.load(from:))
                configuration.postgres = try store.map { url in
                    var settings = try PostgresStoreSettings.parse(url, passwordFile: storePasswordFile)
                    settings.poolSize = storePoolSize
                    return settings
                }
                configuration.identityKey = try storeKeyFile.map { try SharedIdentityKey.read(from: $0) }
                if let turn, let turnSecretFile, let relay = TurnOffer.parseURI(turn) {
                    configuration.turnRelay = TurnRelay(host: relay.host, port: relay.port, secret: try TurnRelay.readSecret(from: turnSecretFile))
                }
                let server = try await LocatorServer.bind(configuration: configuration, logger: logger)
                let signals = TerminationSignals()
                say("p2pchat locator listening on \(server.localAddress.hostPort)")
                say("fingerprint \(server.fingerprint.grouped)")
                say("at most \(server.maxConnections) connections")
                if let relay = configuration.turnRelay { say("offering the TURN relay turn:\(relay.host):\(relay.port)") }
                let stoppedBy = try await signals.run({ try await server.run() }) { signal in
                    say("p2pchat locator: \(TerminationSignals.name(of: signal)), stopping")
                    await server.shutdown()
                }
                if stoppedBy != nil { say("p2pchat locator stopped") }
            } catch {
                try? FileHandle.standardError.write(contentsOf: Data("p2pchat locator: \(error)\n".utf8))
                throw ExitCode.failure
            }
        }
    }
}

extension LocatorConfiguration.Registration: ExpressibleByArgument {}
