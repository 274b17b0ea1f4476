import Foundation
import Testing
import TestSupport

extension EndToEndTests {
    @Test(
        "kill -9 of the locator replica a shell is at: it moves to the other and says so in one line",
        .enabled(if: TestPostgres.isAvailable, "\(TestPostgres.unavailableReason ?? "")"))
    func replicaFailover() async throws {
        try await withTestPostgres { postgres in
            try await Scenario.run { scenario in
                let options = try ReplicaFiles.arguments(for: postgres, in: scenario.directory.url)
                let (doomed, doomedPort) = try await scenario.startLocator(dataDirectory: "replica-a", options: options)
                let (_, survivorPort) = try await scenario.startLocator(dataDirectory: "replica-b", options: options)
                // A person's shell (no --json), given both replicas.
                let carol = try await scenario.start(
                    "carol",
                    [
                        "--locator", "127.0.0.1:\(doomedPort),127.0.0.1:\(survivorPort)", "--listen", "127.0.0.1:0",
                        "--data-dir", scenario.path("carol").path,
                    ])
                try carol.send("/login carol")
                try await carol.waitForLine(timeout: .seconds(30), "'logged in as carol'") { $0.contains("logged in as carol") }

                doomed.signal(SIGKILL)
                // After the time of day, as every line a person sees.
                let line = "*** locator: now at 127.0.0.1:\(survivorPort)"
                try await carol.waitForLine(timeout: .seconds(15), "'\(line)'") { $0.hasSuffix(" " + line) }
                try carol.send("/status")
                try await carol.waitForLine(timeout: .seconds(10), "the status") { $0.contains("logged in as carol, locator connected") }

                carol.closeInput()
                #expect(try await carol.waitForExit() == 0, "\(carol.report())")
                #expect(carol.output.lines.filter { $0.contains("locator: now at") }.count == 1, "said once:\n\(carol.report())")
            }
        }
    }
}
