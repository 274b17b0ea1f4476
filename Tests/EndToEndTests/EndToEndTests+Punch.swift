import Foundation
import Testing

/// Hole punching in the namespaces' small internet (`NatInternet`): a connection that came up
/// through the TURN relay tries to become a direct one by TCP simultaneous open. Between two cone
/// NATs it does (`punched`), and messages sent while it moves arrive once each, in order; between
/// two symmetric NATs it cannot, and the relayed connection carries on as it was.
extension EndToEndTests {
    @Test(
        "behind two cone NATs: a relayed connection is punched through, and messages sent across the move arrive once, in order",
        .enabled(if: NatInternet.available, NatInternet.missingReason))
    func coneNatsPunch() async throws {
        try await NatInternet.run { net, locator, scenario in
            // Until the relayed connection has carried messages, the public side lets nothing
            // pass between the two cone routers: the first punch cannot succeed too early.
            try await net.blockBetweenCones(true, in: scenario)
            let alice = try await net.client("alice", in: net.coneA, locator: locator, scenario: scenario)
            let gina = try await net.client("gina", in: net.coneC, locator: locator, scenario: scenario)
            try await Self.befriend(alice, gina, names: ("alice", "gina"))
            var texts: [String] = []
            func sendBoth() throws {
                let text = "message \(texts.count + 1)"
                texts.append(text)
                try alice.send("/msg gina \(text)")
                try gina.send("/msg alice \(text)")
            }
            for _ in 1...10 { try sendBoth() }
            try await gina.waitForEvent("message", ["from": "alice", "text": texts.last!], timeout: .seconds(30))
            #expect(try await Self.path(to: "gina", seenBy: alice) == "relayed")
            try await net.blockBetweenCones(false, in: scenario)
            // Messages keep going, paced, while the connection moves, and a few after.
            var afterMove = 0
            while afterMove < 5, texts.count < 500 {
                try sendBoth()
                if !alice.events("path_changed", ["id": "gina"]).isEmpty, !gina.events("path_changed", ["id": "alice"]).isEmpty {
                    afterMove += 1
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            let moved = try await alice.waitForEvent("path_changed", ["id": "gina", "path": "punched"])
            #expect(moved["from"] == "relayed")
            try await gina.waitForEvent("path_changed", ["id": "alice", "path": "punched"])
            for (receiver, sender) in [(gina, "alice"), (alice, "gina")] {
                try await receiver.waitForEvent("message", ["from": sender, "text": texts.last!], timeout: .seconds(60))
                let received = receiver.events("message", ["from": sender]).compactMap { $0["text"] }
                #expect(received == texts, "\(receiver.report())")
            }
            #expect(try await Self.path(to: "gina", seenBy: alice) == "punched")
            #expect(try await Self.path(to: "alice", seenBy: gina) == "punched")
        }
    }

    @Test(
        "behind two symmetric NATs: hole punching fails and the relayed connection carries every message once, in order",
        .enabled(if: NatInternet.available, NatInternet.missingReason))
    func symmetricNatsStayRelayed() async throws {
        try await NatInternet.run { net, locator, scenario in
            let carol = try await net.client("carol", in: net.symA, locator: locator, scenario: scenario)
            let dave = try await net.client("dave", in: net.symB, locator: locator, scenario: scenario)
            try await Self.befriend(carol, dave, names: ("carol", "dave"))
            let texts = (1...20).map { "while punching \($0)" }
            for text in texts {
                try carol.send("/msg dave \(text)")
                try dave.send("/msg carol \(text)")
            }
            // Whichever of them dialed the relayed connection punches, and says when it gave up.
            let gaveUp = await poll(timeout: .seconds(90)) {
                [carol, dave].contains { $0.errors.lines.contains { $0.contains("hole punching failed") } } ? true : nil
            }
            #expect(gaveUp == true, "\(carol.report())\n\(dave.report())")
            for (receiver, sender) in [(dave, "carol"), (carol, "dave")] {
                try await receiver.waitForEvent("message", ["from": sender, "text": texts.last!], timeout: .seconds(60))
                #expect(receiver.events("message", ["from": sender]).compactMap { $0["text"] } == texts, "\(receiver.report())")
                #expect(receiver.events("path_changed").isEmpty)
            }
            #expect(try await Self.path(to: "dave", seenBy: carol) == "relayed")
            #expect(try await Self.path(to: "carol", seenBy: dave) == "relayed")
        }
    }
}
