import Foundation
import Testing

/// Friends behind NATs, in a small internet of network namespaces (`NatInternet`): the locator and
/// coturn on the public side, homes behind a cone NAT and behind symmetric NATs. Each client
/// publishes its LAN addresses and a relayed address; a dial tries the same LAN first, then the
/// direct address, then the relay, and `/query` and presence say which path won.
extension EndToEndTests {
    @Test(
        "behind two symmetric NATs: a friend request and messages both ways go through the TURN relay",
        .enabled(if: NatInternet.available, NatInternet.missingReason))
    func symmetricNatsRelay() async throws {
        try await NatInternet.run { net, locator, scenario in
            let carol = try await net.client("carol", in: net.symA, locator: locator, scenario: scenario)
            let dave = try await net.client("dave", in: net.symB, locator: locator, scenario: scenario)
            try await Self.befriend(carol, dave, names: ("carol", "dave"))
            try await carol.waitForEvent("presence", ["id": "dave", "online": "true", "path": "relayed"])
            try await Self.exchange(carol, "carol", dave, "dave", text: "through the relay")
            #expect(try await Self.path(to: "dave", seenBy: carol) == "relayed")
            #expect(try await Self.path(to: "carol", seenBy: dave) == "relayed")
        }
    }

    @Test(
        "behind two symmetric NATs: a file goes through the TURN relay and arrives with its hash checked",
        .enabled(if: NatInternet.available, NatInternet.missingReason))
    func symmetricNatsFile() async throws {
        try await NatInternet.run { net, locator, scenario in
            let carol = try await net.client("carol", in: net.symA, locator: locator, scenario: scenario)
            let dave = try await net.client("dave", in: net.symB, locator: locator, scenario: scenario)
            try await Self.befriend(carol, dave, names: ("carol", "dave"))
            let source = scenario.path("outbox/relayed.bin")
            try Self.makeFile(source, megabytes: 8)
            let start = carol.mark()
            try carol.send("/file dave \(source.path)")
            let sent = try await carol.waitForEvent("file_sent", ["peer": "dave", "name": "relayed.bin"], after: start, timeout: .seconds(60))
            let received = try await dave.waitForEvent("file_received", ["peer": "carol", "name": "relayed.bin"], timeout: .seconds(60))
            let expected = try Self.sha256(source.path)
            #expect(sent["sha256"] == expected)
            #expect(received["sha256"] == expected)
            #expect(try Self.sha256(try #require(received["path"])) == expected)
            #expect(try await Self.path(to: "carol", seenBy: dave) == "relayed")
        }
    }

    @Test(
        "two clients on one LAN behind a NAT reach each other on the LAN",
        .enabled(if: NatInternet.available, NatInternet.missingReason))
    func sameLanStaysLan() async throws {
        try await NatInternet.run { net, locator, scenario in
            let alice = try await net.client("alice", in: net.coneA, locator: locator, scenario: scenario)
            let bob = try await net.client("bob", in: net.coneB, locator: locator, scenario: scenario)
            try await Self.befriend(alice, bob)
            try await Self.exchange(alice, "alice", bob, "bob", text: "across the room")
            #expect(try await Self.path(to: "bob", seenBy: alice) == "lan")
            #expect(try await Self.path(to: "alice", seenBy: bob) == "lan")
        }
    }

    @Test(
        "a client behind a cone NAT and one on the public side befriend and talk, directly",
        .enabled(if: NatInternet.available, NatInternet.missingReason))
    func publicAndCone() async throws {
        try await NatInternet.run { net, locator, scenario in
            let erin = try await net.client("erin", in: net.open, locator: locator, scenario: scenario)
            let alice = try await net.client("alice", in: net.coneA, locator: locator, scenario: scenario)
            // alice asks: her router lets the connection out, and erin's address takes it.
            try await Self.befriend(alice, erin, names: ("alice", "erin"))
            try await Self.exchange(alice, "alice", erin, "erin", text: "out through the router")
            #expect(try await Self.path(to: "erin", seenBy: alice) == "direct")
            #expect(try await Self.path(to: "alice", seenBy: erin) == "direct")
        }
    }

    /// A message from `first` to `second` and one back, each delivered and seen.
    private static func exchange(
        _ first: ChildProcess, _ firstName: String, _ second: ChildProcess, _ secondName: String, text: String
    ) async throws {
        let sent = try await first.run("/msg \(secondName) \(text)", expecting: "sent", ["to": secondName])
        #expect(sent["delivery"] == "delivered", "\(first.report())")
        try await second.waitForEvent("message", ["from": firstName, "text": text])
        let reply = try await second.run("/msg \(firstName) and back: \(text)", expecting: "sent", ["to": firstName])
        #expect(reply["delivery"] == "delivered", "\(second.report())")
        try await first.waitForEvent("message", ["from": secondName, "text": "and back: \(text)"])
    }

    /// The path `/query` shows for the open connection to `peer`, with a round trip.
    static func path(to peer: String, seenBy client: ChildProcess) async throws -> String? {
        let query = try await client.run("/query \(peer)", expecting: "query", ["id": peer])
        #expect(Int(query["rtt_ms"] ?? "") ?? 0 >= 1, "\(query)")
        return query["path"]
    }
}
