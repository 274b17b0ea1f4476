@testable import ChatEngine
import ChatWire
import Foundation
import Locator
import Testing
// Scoped: TestSupport has a ModernLocatorClient of its own.
import class TestSupport.TestLocator
import func TestSupport.withTemporaryDirectory

/// What the engine's modern locator client asks for the NAT paths: relay credentials, and candidates.
@Suite("LocatorClient: relay and candidates", .timeLimit(.minutes(1)))
struct LocatorClientNatTests {
    @Test("a TURN offer, candidates published by one user and read back by another")
    func offerAndPaths() async throws {
        try await withTemporaryDirectory { dir in
            let locator = try await TestLocator.start(in: dir) { configuration in
                configuration.turnRelay = TurnRelay(host: "198.51.100.1", port: 3478, secret: Array("s".utf8))
            }
            let known = dir.appendingPathComponent("known_locators")
            let alice = try #require(LocatorClientTestSupport.client("alice", locator: locator, knownLocators: known) as? ModernLocatorClient)
            let bob = try #require(LocatorClientTestSupport.client("bob", locator: locator, knownLocators: known) as? ModernLocatorClient)
            try await alice.start(peerPort: 40000, fingerprint: LocatorClientTestSupport.fingerprint("a1"))
            try await bob.start(peerPort: 40001, fingerprint: LocatorClientTestSupport.fingerprint("b2"))

            let offer = try #require(try await alice.turnOffer())
            #expect(offer.uri == "turn:198.51.100.1:3478" && offer.username.hasSuffix(":alice"))

            let relayed = try #require(PeerCandidate(word: "relayed:198.51.100.1:50000"))
            try await alice.publish([relayed])
            #expect(try await bob.paths(of: "alice") == [PeerCandidate(word: "direct:127.0.0.1:40000")!, relayed])
            #expect(try await bob.paths(of: "carol") == [])
            await alice.stop()
            await bob.stop()
        }
    }

    @Test("a locator without a relay: no offer, and no error")
    func noRelay() async throws {
        try await withTemporaryDirectory { dir in
            let locator = try await TestLocator.start(in: dir)
            let alice = try #require(
                LocatorClientTestSupport.client("alice", locator: locator, knownLocators: dir.appendingPathComponent("known")) as? ModernLocatorClient)
            try await alice.start(peerPort: 40000, fingerprint: LocatorClientTestSupport.fingerprint("a1"))
            #expect(try await alice.turnOffer() == nil)
            await alice.stop()
        }
    }
}
