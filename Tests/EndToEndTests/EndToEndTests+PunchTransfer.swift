import Foundation
import Testing

/// A file under way while its connection moves: it starts through the relay between two cone
/// NATs, hole punching succeeds in the middle of it, and the transfer carries on over the punched
/// connection and arrives whole.
extension EndToEndTests {
    @Test(
        "behind two cone NATs: a file that starts through the relay and is punched through midway arrives with its hash checked",
        .enabled(if: NatInternet.available, NatInternet.missingReason))
    func fileAcrossPunch() async throws {
        try await NatInternet.run { net, locator, scenario in
            // Until the transfer runs, only the relay joins the two cone routers.
            try await net.blockBetweenCones(true, in: scenario)
            let alice = try await net.client("alice", in: net.coneA, locator: locator, scenario: scenario)
            let gina = try await net.client("gina", in: net.coneC, locator: locator, scenario: scenario)
            try await Self.befriend(alice, gina, names: ("alice", "gina"))
            #expect(try await Self.path(to: "gina", seenBy: alice) == "relayed")

            let source = scenario.path("outbox/across.bin")
            try Self.makeFile(source, megabytes: 90)
            try alice.send("/file gina \(source.path)")
            try await gina.waitForEvent("file_progress", ["peer": "alice", "direction": "incoming"], timeout: .seconds(60))
            #expect(gina.events("file_received").isEmpty, "the file arrived before the punch")
            try await net.blockBetweenCones(false, in: scenario)
            let moved = try await alice.waitForEvent("path_changed", ["id": "gina", "path": "punched"], timeout: .seconds(60))
            #expect(moved["from"] == "relayed")
            let ginaMoved = try await gina.waitForEvent("path_changed", ["id": "alice", "path": "punched"], timeout: .seconds(60))

            let share = gina.events("file_progress", ["peer": "alice"]).last { $0.index < ginaMoved.index }?["percent"] ?? "?"
            print("file across the punch: \(share) % had come through the relay when the connection moved")
            // The rest of the file comes over the punched connection.
            let received = try await gina.waitForEvent(
                "file_received", ["peer": "alice", "name": "across.bin"], after: ginaMoved.index, timeout: .seconds(180))
            let expected = try Self.sha256(source.path)
            #expect(received["sha256"] == expected)
            #expect(try Self.sha256(try #require(received["path"])) == expected)
            let sent = try await alice.waitForEvent("file_sent", ["peer": "gina", "name": "across.bin"], timeout: .seconds(30))
            #expect(sent["sha256"] == expected)
            #expect(gina.events("file_received").count == 1)
            #expect(try await Self.path(to: "gina", seenBy: alice) == "punched")
        }
    }
}
