import ChatWire
import Locator
import Testing
import TestSupport

/// `CANDIDATES` and `PATHS`: the ways to reach a user, for a dial that tries them in turn.
@Suite("LocatorServer: candidates and paths", .timeLimit(.minutes(1)))
struct LocatorServerPathsTests {
    @Test("PATHS: the address the locator sees first, then what the user published; nothing when offline")
    func paths() async throws {
        try await withTestLocator { locator throws in
            let alice = try await ModernLocatorClient.connect(to: locator)
            let bob = try await ModernLocatorClient.connect(to: locator)
            _ = try await alice.login("alice", password: "a")
            _ = try await bob.login("bob", password: "b")
            #expect(try await bob.request(.paths(user: "alice")) == .paths("alice", []))
            _ = try await alice.request(.advertise(port: 40123, fingerprint: String(repeating: "a1", count: 32)))
            let lan = try #require(PeerCandidate(word: "lan:192.168.77.2:40123"))
            let relayed = try #require(PeerCandidate(word: "relayed:198.51.100.1:50000"))
            #expect(try await alice.request(.candidates([lan, relayed])) == .ok(verb: "CANDIDATES", details: ["2"]))
            let direct = try #require(PeerCandidate(word: "direct:127.0.0.1:40123"))
            #expect(try await bob.request(.paths(user: "alice")) == .paths("alice", [direct, lan, relayed]))
            #expect(try await alice.request(.logout) == .ok(verb: "LOGOUT", details: []))
            #expect(try await bob.request(.paths(user: "alice")) == .paths("alice", []))
            await bob.close()
        }
    }

    @Test("before LOGIN both are refused; a malformed candidate is a syntax error")
    func refusals() async throws {
        try await withTestLocator { locator throws in
            let stranger = try await ModernLocatorClient.connect(to: locator)
            #expect(try await stranger.request(.paths(user: "alice")) == .error(LocatorError(.notLoggedIn, "LOGIN first")))
            #expect(try await stranger.request(.candidates([])) == .error(LocatorError(.notLoggedIn, "LOGIN first")))
            await stranger.close()

            let alice = try await ModernLocatorClient.connect(to: locator)
            _ = try await alice.login("alice", password: "a")
            alice.send(line: "CANDIDATES lan:nowhere.example:1")
            #expect(try await alice.nextReplyLine()?.hasPrefix("ERR syntax") == true)
            await alice.close()
        }
    }
}
