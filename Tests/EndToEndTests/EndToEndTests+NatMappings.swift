import Foundation
import Testing
import TestSupport

/// NAT mappings that expire: a home router that forgets an established connection after 5 s
/// without a packet. Keep-alives hold the mapping of an idle connection, and a mapping lost
/// while the path was cut is found and the friends talk again within 10 s.
extension EndToEndTests {
    /// erin's public address, as the homes' routers see it.
    private static let erinAddress = "198.18.0.2"

    @Test(
        "a home router that forgets idle connections after 5 s: keep-alives hold the mapping, and a message after 15 s of silence takes the same connection",
        .enabled(if: NatInternet.available, NatInternet.missingReason), arguments: [NatHome.coneA, .symA])
    func idleMappingHeld(_ home: NatHome) async throws {
        try await NatInternet.run { net, locator, scenario in
            let (inside, erin) = try await Self.homeAndErin(home, forgettingAfter: 5, net: net, locator: locator, scenario: scenario)
            // The silence itself is what is tested: three times what the router remembers.
            try await Task.sleep(for: .seconds(15))
            let sent = try await erin.run("/msg \(home.user) after the silence", expecting: "sent", ["to": home.user], timeout: .seconds(30))
            #expect(sent["delivery"] == "delivered", "\(erin.report())")
            try await inside.waitForEvent("message", ["from": "erin", "text": "after the silence"], timeout: .seconds(10))
            #expect(try await Self.path(to: home.user, seenBy: erin) == "direct", "the message took a new connection")
        }
    }

    @Test(
        "a mapping lost while the path was cut is found, and a message from the public side arrives within 10 s of the path's return",
        .enabled(if: NatInternet.available, NatInternet.missingReason), arguments: [NatHome.coneA, .symA])
    func lostMappingFound(_ home: NatHome) async throws {
        try await NatInternet.run { net, locator, scenario in
            let (inside, erin) = try await Self.homeAndErin(home, forgettingAfter: 5, net: net, locator: locator, scenario: scenario)
            let router = try #require(home.router(in: net))
            try await net.cut(true, router: router, from: Self.erinAddress, in: scenario)
            // Longer than the router remembers the mapping, and than a connection whose probes
            // go unanswered lives (`DeadPathDetection`: 8 s).
            try await Task.sleep(for: .seconds(12))
            try await net.cut(false, router: router, from: Self.erinAddress, in: scenario)
            let mark = inside.mark()
            try erin.send("/msg \(home.user) after the cut")
            try await inside.waitForEvent("message", ["from": "erin", "text": "after the cut"], after: mark, timeout: .seconds(10))
        }
    }

    /// A client in `home` and erin on the public side, friends (the one at home asked, so their
    /// connection goes out through the router, direct), whose router from then on forgets a
    /// connection after `seconds` without a packet (a message each way after the change makes
    /// their connection's mapping take it up).
    private static func homeAndErin(
        _ home: NatHome, forgettingAfter seconds: Int, net: NatInternet, locator: String, scenario: Scenario
    ) async throws -> (inside: ChildProcess, erin: ChildProcess) {
        let inside = try await net.client(home.user, in: home.namespace(in: net), locator: locator, scenario: scenario)
        let erin = try await net.client("erin", in: net.open, locator: locator, scenario: scenario)
        try await befriend(inside, erin, names: (home.user, "erin"))
        try await net.forgetIdleConnections(after: seconds, router: try #require(home.router(in: net)), in: scenario)
        try await exchange(inside, home.user, erin, "erin", text: "before")
        #expect(try await path(to: home.user, seenBy: erin) == "direct")
        return (inside, erin)
    }
}

extension NatHome {
    /// Who lives there in these tests.
    var user: String {
        switch self {
        case .open, .openB: "frank"
        case .coneA: "alice"
        case .coneB: "bob"
        case .coneC: "gina"
        case .symA: "carol"
        case .symB: "dave"
        }
    }

    /// The router in front of the home; nil for the public hosts.
    func router(in net: NatInternet) -> String? {
        switch self {
        case .open, .openB: nil
        case .coneA, .coneB: net.routers[0]
        case .symA: net.routers[1]
        case .symB: net.routers[2]
        case .coneC: net.routers[3]
        }
    }
}
