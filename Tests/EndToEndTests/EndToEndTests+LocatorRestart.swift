import Foundation
import Testing

extension EndToEndTests {
    @Test("running clients survive a locator restart: they reconnect and messages still arrive")
    func locatorRestart() async throws {
        try await Scenario.run { scenario in
            let (locator, port, alice, bob) = try await Self.friends(in: scenario)

            // The locator goes away; both clients notice.
            let aliceMark = alice.mark(), bobMark = bob.mark()
            locator.signal(SIGTERM)
            try await locator.waitForExit()
            try await alice.waitForEvent("locator", ["connected": "false"], after: aliceMark)
            try await bob.waitForEvent("locator", ["connected": "false"], after: bobMark)

            // A new locator on the same port and data: the clients find it on their own.
            _ = try await scenario.startLocator(port: port)
            try await alice.waitForEvent("locator", ["connected": "true"], after: aliceMark, timeout: .seconds(40))
            try await bob.waitForEvent("locator", ["connected": "true"], after: bobMark, timeout: .seconds(40))
            let status = try await alice.run("/status", expecting: "status")
            #expect(status["locator_connected"] == "true", "\(status)")
            // Bob is online again at the new locator, so alice can find him.
            let query = try await alice.run("/query bob", expecting: "query", ["id": "bob"])
            #expect(query["online"] == "true", "\(query)")

            let sent = try await alice.run("/msg bob after the restart", expecting: "sent", ["to": "bob"])
            #expect(sent["delivery"] == "delivered", "\(alice.report())")
            let received = try await bob.waitForEvent("message", ["from": "alice", "text": "after the restart"])
            #expect(received["id"] == sent["id"])
            let reply = try await bob.run("/msg alice got it", expecting: "sent", ["to": "alice"])
            #expect(reply["delivery"] == "delivered", "\(bob.report())")
            try await alice.waitForEvent("message", ["from": "bob", "text": "got it"])

            alice.closeInput()
            bob.closeInput()
            #expect(try await alice.waitForExit() == 0, "\(alice.report())")
            #expect(try await bob.waitForExit() == 0, "\(bob.report())")
        }
    }
}
