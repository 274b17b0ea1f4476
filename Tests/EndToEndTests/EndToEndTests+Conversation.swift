import Foundation
import Testing

extension EndToEndTests {
    @Test("two scripted clients befriend, talk both ways and exit 0")
    func scriptedConversation() async throws {
        try await Scenario.run { scenario in
            let (_, port) = try await scenario.startLocator()
            let bob = try await scenario.startClient("bob", locatorPort: port)
            // Bob's whole script at once, as `p2pchat < script` would give it: /wait keeps it in step.
            for line in [
                "/login bob",
                "/wait friend_request from=alice",
                "/accept alice",
                #"/wait message from=alice text="hi bob, it's alice""#,
                "/msg alice hello alice, bob here",
            ] {
                try bob.send(line)
            }
            bob.closeInput()
            // Alice's /add needs bob online: start her once he is.
            try await bob.waitForEvent("logged_in", ["user": "bob"], timeout: .seconds(30))

            let alice = try await scenario.startClient("alice", locatorPort: port)
            for line in [
                "/login alice",
                "/add bob",
                "/wait friend_added id=bob",
                "/msg bob hi bob, it's alice",
                #"/wait message from=bob text="hello alice, bob here""#,
            ] {
                try alice.send(line)
            }
            alice.closeInput()

            #expect(try await alice.waitForExit(timeout: .seconds(60)) == 0, "\(alice.report())")
            #expect(try await bob.waitForExit(timeout: .seconds(60)) == 0, "\(bob.report())")

            // Alice's side: her message was stored by bob before /msg finished.
            let sent = try #require(alice.events("sent", ["to": "bob"]).first, "\(alice.report())")
            #expect(sent["delivery"] == "delivered")
            let sentID = try #require(sent["id"])

            // Bob's side: exactly that message, from alice to bob, with the sender's time.
            let received = bob.events("message", ["from": "alice"])
            #expect(received.count == 1, "\(bob.report())")
            let message = try #require(received.first)
            #expect(message["to"] == "bob")
            #expect(message["text"] == "hi bob, it's alice")
            #expect(message["id"] == sentID)
            #expect(message["direction"] == "incoming")
            let time = try #require(message["time"])
            let parsed = try #require(ISO8601DateFormatter.withMilliseconds.date(from: time), "time \(time) is not ISO 8601")
            #expect(abs(parsed.timeIntervalSinceNow) < 120)

            // And the other way round.
            let reply = try #require(alice.events("message", ["from": "bob"]).first, "\(alice.report())")
            #expect(reply["to"] == "alice")
            #expect(reply["text"] == "hello alice, bob here")
            #expect(bob.events("sent", ["to": "alice"]).first?["id"] == reply["id"])
            #expect(alice.events("error").isEmpty && bob.events("error").isEmpty, "\(alice.report())\n\(bob.report())")
        }
    }
}

extension ISO8601DateFormatter {
    /// `2025-01-31T09:05:00.250Z`, the form of every time in `--json` output.
    static var withMilliseconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
