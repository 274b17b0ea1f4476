import Foundation
import Testing
import TestSupport

/// `p2pchat bench locator --failover`, run briefly over a PostgreSQL of the test's own: it prints
/// its ceiling and the failover times, every client having come back after each kill.
@Suite(
    "bench locator --failover", .timeLimit(.minutes(5)),
    .enabled(if: TestPostgres.isAvailable, "\(TestPostgres.unavailableReason ?? "")"))
struct LocatorFailoverBenchTests {
    @Test("kills the replica its clients are at, twice, and prints how long until every client was back")
    func printsEveryFigure() async throws {
        try await withTestPostgres { postgres in
            try await Scenario.run { scenario in
                try postgres.createDatabase("failover_bench")
                let passwordFile = scenario.path("db-password")
                #expect(FileManager.default.createFile(
                    atPath: passwordFile.path, contents: Data(TestPostgres.password.utf8), attributes: [.posixPermissions: 0o600]))
                let bench = try await scenario.start(
                    "bench locator --failover",
                    [
                        "bench", "locator", "--failover", "--failover-store", postgres.url(database: "failover_bench"),
                        "--failover-store-password-file", passwordFile.path, "--failover-clients", "12", "--failover-kills", "2",
                    ])
                bench.closeInput()
                #expect(try await bench.waitForExit(timeout: .seconds(240)) == 0, "\(bench.report())")
                let lines = bench.output.lines
                func line(_ start: String) -> String? { lines.first { $0.hasPrefix(start) } }
                #expect(line("locator failover: 2 kill -9 of the replica 12 clients are at") != nil, "\(bench.report())")
                #expect(
                    line("  ceiling: the 12 clients logging in with passwords at a live replica, 8 at a time")?.hasSuffix(" s") == true,
                    "\(bench.report())")
                #expect(line("  until every client is back")?.hasSuffix("(goal: p99 < 5 s)") == true, "\(bench.report())")
                #expect(line("  until each client is back")?.contains(" p99 ") == true, "\(bench.report())")
                #expect(line("  every client back / ceiling")?.hasSuffix("× at p50") == true, "\(bench.report())")
            }
        }
    }
}
