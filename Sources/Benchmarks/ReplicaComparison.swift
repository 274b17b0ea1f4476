import CommandLineSupport
import Foundation
import Locator

#if canImport(Glibc)
import Glibc
#endif

/// `bench locator --replicas`: in one run, a throwaway PostgreSQL, two locator replicas over it,
/// the same locator over SQLite, and the C epoll server when given: course queries per second on
/// each (interleaved rounds, medians), modern logins per second, the time from a login on one
/// replica to the `PRESENCE` line on a watcher of the other, and a reconnect storm onto the
/// surviving replica after a `kill -9` of the other, with the survivor's memory per session.
struct ReplicaComparison {
    var connections: Int
    var duration: Duration
    var rounds: Int
    var logins: Int
    var presenceSamples: Int
    var storm: Int
    /// A built `refserver` (`/work/shared/tools/refserver.c`), started on a free port.
    var refserver: String?

    func run(in scratch: URL) async throws {
        let postgres = try BenchPostgres.start(in: scratch.appendingPathComponent("postgres"))
        defer { postgres.stop() }
        let store = ["--store", postgres.url]
        let sqlite = try await LocatorChild.start(directory: scratch.appendingPathComponent("sqlite"))
        defer { sqlite.stop() }
        let replicaA = try await LocatorChild.start(directory: scratch.appendingPathComponent("a"), arguments: store)
        defer { replicaA.stop() }
        let replicaB = try await LocatorChild.start(directory: scratch.appendingPathComponent("b"), arguments: store)
        defer { replicaB.stop() }
        let cServer = try refserver.map(ReferenceServer.start(path:))
        defer { cServer?.stop() }

        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
        say("locator replicas: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(load) at start, PostgreSQL \(try postgres.psql("SHOW server_version")) (fsync on)")

        // Course queries: each target in turn, round after round, so that the machine's other
        // load falls on all of them alike; the median round of each.
        var targets: [(String, HostPort, Bool)] = []
        if let cServer { targets.append(("C epoll server", HostPort(host: "127.0.0.1", port: cServer.port), false)) }
        targets.append(("replica on SQLite", HostPort(host: "127.0.0.1", port: sqlite.port), true))
        targets.append(("replica on PostgreSQL", HostPort(host: "127.0.0.1", port: replicaA.port), true))
        var rates = Array(repeating: [Double](), count: targets.count)
        for _ in 1...rounds {
            for (index, target) in targets.enumerated() {
                let result = try await LocatorLoad(target: target.1, connections: connections, duration: duration, logsIn: target.2).run()
                rates[index].append(Double(result.latencies.count) / result.elapsed.inSeconds)
            }
        }
        let medians = rates.map { $0.sorted()[$0.count / 2] }
        say("  course q<id>/s, \(connections) connections, median of \(rounds) interleaved rounds of \(String(format: "%.0f", duration.inSeconds)) s:")
        for (index, target) in targets.enumerated() {
            say("    \(target.0.padding(toLength: 24, withPad: " ", startingAt: 0)) \(Int(medians[index]))  (rounds: \(rates[index].map { String(Int($0)) }.joined(separator: ", ")))")
        }
        let postgresRate = medians[targets.count - 1], sqliteRate = medians[targets.count - 2]
        var ratios = String(format: "    PostgreSQL / SQLite %.2f× (goal ≥ 0.9×)", postgresRate / sqliteRate)
        if cServer != nil {
            ratios += String(format: "; PostgreSQL / C %.2f×; SQLite / C %.2f×", postgresRate / medians[0], sqliteRate / medians[0])
        }
        say(ratios)

        let onSQLite = try await LoginRate(target: HostPort(host: "127.0.0.1", port: sqlite.port), count: logins, concurrency: 32, prefix: "rate").run()
        let onPostgres = try await LoginRate(target: HostPort(host: "127.0.0.1", port: replicaA.port), count: logins, concurrency: 32, prefix: "rate").run()
        say("  modern logins, \(logins) users, 32 at once, scrypt N = 2^15:")
        say(String(format: "    registrations/s   SQLite %6.1f   PostgreSQL %6.1f   (%.2f×)", onSQLite.registrationsPerSecond, onPostgres.registrationsPerSecond, onPostgres.registrationsPerSecond / onSQLite.registrationsPerSecond))
        say(String(format: "    logins/s          SQLite %6.1f   PostgreSQL %6.1f   (%.2f×)", onSQLite.loginsPerSecond, onPostgres.loginsPerSecond, onPostgres.loginsPerSecond / onSQLite.loginsPerSecond))

        let presence = try await PresenceLatency(
            origin: HostPort(host: "127.0.0.1", port: replicaA.port), watching: HostPort(host: "127.0.0.1", port: replicaB.port),
            samples: presenceSamples
        ).run()
        say("  login on replica A (its ADVERTISE) to the PRESENCE line on a watcher of replica B, \(presence.count) samples:")
        say("    p50 \(presence.percentile(0.5).tenthsOfMilliseconds)   p99 \(presence.percentile(0.99).tenthsOfMilliseconds)   max \(presence.percentile(1).tenthsOfMilliseconds)   (goal p99 < 100 ms)")

        // The storm's accounts exist, as for the clients of a replica that died: one scrypt hash
        // (N = 2^15) for all, so each login costs what a real one does.
        let hash = try PasswordHasher().hash("storm-password")
        try postgres.psql("INSERT INTO account (name, password_hash) SELECT 'storm' || i, '\(hash)' FROM generate_series(0, \(storm - 1)) i")
        let result = try await ReconnectStorm(doomed: replicaA, survivor: replicaB, count: storm, password: "storm-password").run()
        let perSession = Double(result.survivorBytes.with - result.survivorBytes.before) / Double(storm)
        say("  reconnect storm, \(storm) clients, no jitter:")
        say("    logged in on replica A          \(result.firstLogins.tenthsOfMilliseconds) (\(Int(Double(storm) / result.firstLogins.inSeconds)) logins/s)")
        say("    kill -9 of A to all back on B   \(result.allBack.tenthsOfMilliseconds); each client p50 \(result.each.percentile(0.5).tenthsOfMilliseconds), p99 \(result.each.percentile(0.99).tenthsOfMilliseconds); \(result.busyRetries) ERR busy retries")
        say(String(format: "    replica B's memory               %.1f MiB before, %.1f MiB with them: %.1f KiB per logged-in session",
                   Double(result.survivorBytes.before) / 1_048_576, Double(result.survivorBytes.with) / 1_048_576, perSession / 1024))
        let inUse = try postgres.psql("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")
        say("  PostgreSQL client connections open at the end (replica B's pool and listener, and psql): \(inUse)")
    }
}

extension Duration {
    /// Milliseconds with one decimal: presence moves in a few of them.
    var tenthsOfMilliseconds: String {
        String(format: "%.1f ms", inSeconds * 1e3)
    }
}
