import ArgumentParser
import CommandLineSupport
import Foundation

/// `bench locator --failover`'s options, and the figures it prints. Its options are named for it,
/// so that they never meet the other modes' own.
struct LocatorFailoverOptions: ParsableArguments {
    @Flag(help: "Kill -9 the replica that clients are at, again and again, and time until every client is logged in at the other.")
    var failover = false

    @Option(name: .customLong("failover-store"), help: ArgumentHelp("With --failover: an empty PostgreSQL database for the two replicas to share (postgresql://USER@HOST:PORT/DB); each run makes a new service identity, so a new database each run.", valueName: "url"))
    var store: String?

    @Option(name: .customLong("failover-store-password-file"), help: ArgumentHelp("With --failover: a file whose first line is the PostgreSQL password.", valueName: "file"),
            completion: .file())
    var storePasswordFile: String?

    @Option(name: .customLong("failover-clients"), help: ArgumentHelp("With --failover: locator clients given both replicas.", valueName: "n"))
    var clients = 100

    @Option(name: .customLong("failover-kills"), help: ArgumentHelp("With --failover: how many times a replica is killed.", valueName: "n"))
    var kills = 20

    func validate() throws {
        guard failover else { return }
        guard store != nil else { throw ValidationError("--failover needs --failover-store postgresql://… for the replicas to share") }
        guard (1...5000).contains(clients) else { throw ValidationError("--failover-clients must be 1...5000") }
        guard (1...1000).contains(kills) else { throw ValidationError("--failover-kills must be 1...1000") }
    }

    func run(scratch: URL) async throws {
        guard let store else { return }
        let result = try await LocatorFailover(
            store: store, storePasswordFile: storePasswordFile, clients: clients, kills: kills, scratch: scratch
        ).run()
        let failovers = Latencies(result.failovers), perClient = Latencies(result.perClient)
        let seconds = { (duration: Duration) in String(format: "%.2f s", duration.inSeconds) }
        say("locator failover: \(kills) kill -9 of the replica \(clients) clients are at, 2 replicas over PostgreSQL, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        say("  ceiling: the \(clients) clients logging in with passwords at a live replica, \(min(clients, LocatorFailover.coldLoginsAtOnce)) at a time  \(seconds(result.coldLogin))")
        say("  until every client is back   p50 \(seconds(failovers.percentile(0.50)))  p99 \(seconds(failovers.percentile(0.99)))  max \(seconds(failovers.percentile(1)))  (goal: p99 < 5 s)")
        say("  until each client is back    p50 \(seconds(perClient.percentile(0.50)))  p99 \(seconds(perClient.percentile(0.99)))")
        say(String(format: "  every client back / ceiling  %.2f× at p50", failovers.percentile(0.50).inSeconds / max(result.coldLogin.inSeconds, 0.001)))
    }
}
