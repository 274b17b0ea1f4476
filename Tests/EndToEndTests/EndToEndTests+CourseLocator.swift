import Foundation
import Testing
import TestSupport

extension EndToEndTests {
    @Test("--legacy-locator: two course ids find each other through the course protocol and talk")
    func courseLocator() async throws {
        try await Scenario.run { scenario in
            let (_, port) = try await scenario.startLocator()
            // A course id's peer port is its last five digits: pick ids whose ports are free now.
            let first = try await freeCourseID(), second = try await freeCourseID()
            func client(_ id: String) async throws -> ChildProcess {
                try await scenario.start(
                    id, ["--legacy-locator", "127.0.0.1:\(port)", "--listen", "127.0.0.1:\(id.suffix(5))",
                         "--data-dir", scenario.path(id).path, "--json"])
            }
            let alice = try await client(first), bob = try await client(second)
            for (process, id) in [(alice, first), (bob, second)] {
                try await process.run("/login \(id) net2019", expecting: "logged_in", ["user": id], timeout: .seconds(30))
            }
            let found = try await alice.run("/query \(second)", expecting: "query", ["id": second])
            #expect(found["address"] == "127.0.0.1" && found["port"] == String(Int(second.suffix(5))!), "\(found)")

            try await Self.befriend(alice, bob, names: (first, second))
            let sent = try await alice.run("/msg \(second) over the course server", expecting: "sent", ["to": second])
            #expect(sent["delivery"] == "delivered", "\(alice.report())")
            try await bob.waitForEvent("message", ["from": first, "text": "over the course server"])

            // The course server still knows nothing but addresses: a wrong shared password is refused.
            let stranger = try await scenario.start(
                "stranger", ["--legacy-locator", "127.0.0.1:\(port)", "--listen", "127.0.0.1:0",
                             "--data-dir", scenario.path("stranger").path, "--json"])
            try stranger.send("/login 2017099999 wrong")
            try await stranger.waitForEvent("error")
        }
    }
}
