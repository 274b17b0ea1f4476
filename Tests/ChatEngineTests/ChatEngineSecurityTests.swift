import ChatEngine
import ChatIdentity
import ChatWire
import Foundation
import Testing
import TestSupport

@Suite("ChatEngine: pinned certificates")
struct ChatEngineSecurityTests {
    @Test("a friend presenting a different certificate is refused both ways, loudly, and nothing is delivered")
    func changedCertificateIsRefused() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let firstBob = try await network.user("bob")
            try await befriend(alice, firstBob)
            #expect(try await alice.engine.send("before", to: "bob").delivery == .delivered)
            let pinned = firstBob.engine.fingerprint

            // bob's identity is replaced on purpose: same name, same store, new key.
            await firstBob.engine.close()
            try FileManager.default.removeItem(at: firstBob.dataDirectory.appendingPathComponent("identity.pem"))
            let bob = try await network.user("bob") { $0.makesNewIdentity = true }
            #expect(bob.engine.fingerprint != pinned)
            #expect(try await bob.engine.friends().map(\.id) == ["alice"], "bob's own store survived")

            // bob dials alice: alice refuses the certificate and says so.
            let aliceMark = await alice.events.mark()
            let fromBob = try await bob.engine.send("it is really me", to: "alice")
            #expect(fromBob.delivery == .queued)
            let inbound = await alice.events.first(after: aliceMark) { $0.securityWarning?.contains("bob") == true }
            #expect(inbound != nil, "alice was not warned about bob's new certificate")
            #expect(inbound?.securityWarning?.contains(bob.engine.fingerprint.grouped) == true, "the warning shows the certificate presented")
            #expect(!(try await alice.bodies(with: "bob")).contains("it is really me"))
            #expect(await alice.events.count(after: aliceMark) { $0.message != nil } == 0)
            #expect(try await bob.engine.queuedCount() == 1)

            // alice writes to bob: refused too, the message stays queued.
            let secondMark = await alice.events.mark()
            let toBob = try await alice.engine.send("are you there?", to: "bob")
            #expect(toBob.delivery == .queued)
            #expect(await alice.events.first(after: secondMark) { $0.securityWarning?.contains("bob") == true } != nil)
            #expect(await alice.events.count(after: secondMark) { $0 == .messaging(.delivered(to: "bob", id: toBob.id)) } == 0)
            #expect(try await alice.engine.queuedCount() == 1)
            #expect(try await alice.engine.history(with: "bob").last?.delivery == .queued)
            #expect(await bob.events.count { $0.message != nil } == 0)
            #expect(try await bob.engine.history(with: "alice").filter { $0.direction == .incoming }.map(\.body) == ["before"])
            #expect(try await alice.engine.friends().first?.fingerprint == pinned.hex, "the pin is not replaced silently")
        }
    }

    @Test("comparing safety numbers: both sides see the same number, confirming marks the friend verified")
    func verifyingAFriend() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(alice, bob)

            let seenByAlice = try await alice.engine.verification(of: "bob")
            let seenByBob = try await bob.engine.verification(of: "alice")
            #expect(seenByAlice.safetyNumber == seenByBob.safetyNumber)
            #expect(!seenByAlice.verified && seenByAlice.offered == nil)
            #expect(try await alice.engine.friends().first?.verified == false)

            let confirmed = try await alice.engine.confirmVerification(of: "bob")
            #expect(confirmed.verified)
            #expect(try await alice.engine.friends().first?.verified == true)
            await #expect(throws: FriendError.notFriend("carol")) { try await alice.engine.verification(of: "carol") }
        }
    }

    @Test("a friend's new identity: the warning says how to check it, and once the new number is confirmed, what waited is delivered both ways")
    func newIdentityAcceptedAfterVerification() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let firstBob = try await network.user("bob")
            try await befriend(alice, firstBob)
            _ = try await alice.engine.confirmVerification(of: "bob")
            let oldNumber = try await alice.engine.verification(of: "bob").safetyNumber

            await firstBob.engine.close()
            try FileManager.default.removeItem(at: firstBob.dataDirectory.appendingPathComponent("identity.pem"))
            let bob = try await network.user("bob") { $0.makesNewIdentity = true }
            let mark = await alice.events.mark()
            let fromBob = try await bob.engine.send("it is really me", to: "alice")
            #expect(fromBob.delivery == .queued)
            let warning = await alice.events.first(after: mark) { $0.securityWarning?.contains("bob") == true }
            #expect(warning?.securityWarning?.contains("/verify bob confirmed") == true, "the warning does not say how to accept the key")

            // alice sees the friend unverified, with a new number beside the old one.
            let pending = try await alice.engine.verification(of: "bob")
            #expect(!pending.verified)
            #expect(pending.safetyNumber == oldNumber)
            #expect(pending.offered == (try await bob.engine.verification(of: "alice")).safetyNumber,
                "the new key's number is not the one bob reads out")
            let listed = try await alice.engine.friends().first
            #expect(listed?.verified == false && listed?.keyChanged == true)
            let toBob = try await alice.engine.send("is that you?", to: "bob")
            #expect(toBob.delivery == .queued)

            // They compared the numbers: alice accepts the new key.
            let accepted = try await alice.engine.confirmVerification(of: "bob")
            #expect(accepted.verified && accepted.offered == nil)
            #expect(accepted.safetyNumber == pending.offered)
            #expect(try await alice.engine.friends().first?.fingerprint == bob.engine.fingerprint.hex)
            #expect(await alice.events.first { $0.message?.id == fromBob.id } != nil, "bob's queued message never arrived")
            #expect(await bob.events.first { $0.message?.id == toBob.id } != nil, "alice's queued message never arrived")
        }
    }

    @Test("someone else's certificate under a friend's name is refused at the handshake")
    func impersonationIsRefused() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(alice, bob)

            let mallory = try Identity.generate(commonName: "bob")
            let mark = await alice.events.mark()
            let (peer, hello) = try await RawPeer.connect(as: "bob", identity: mallory, to: alice)
            #expect(hello == nil, "alice answered a Hello from a false bob")
            #expect(await peer.received.waitUntilFinished(), "alice kept the connection open")
            let warning = await alice.events.first(after: mark) { $0.securityWarning?.contains("bob") == true }
            #expect(warning != nil)
            await peer.close()

            // The real bob is unaffected.
            let sent = try await bob.engine.send("the real bob", to: "alice")
            #expect(sent.delivery == .delivered)
            #expect(await alice.events.first { $0.message?.id == sent.id } != nil)
        }
    }

    @Test("a stranger must present the certificate the locator publishes for the name it claims")
    func strangerMustMatchLocator() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let published = try Identity.generate(commonName: "mallory")
            let presence = try await LocatorPresence.login("mallory", fingerprint: published.fingerprint, at: network.locator)

            let other = try Identity.generate(commonName: "mallory")
            let (refused, refusedHello) = try await RawPeer.connect(as: "mallory", identity: other, to: alice)
            #expect(refusedHello == nil, "a certificate the locator does not publish was accepted")
            await refused.close()

            let (accepted, hello) = try await RawPeer.connect(as: "mallory", identity: published, to: alice)
            #expect(hello?.source == "alice")
            try accepted.send(Envelope(type: .friendRequest, source: "mallory", target: "alice"))
            let request = await alice.events.first { $0.friendRequestFrom == "mallory" }
            #expect(request == .friends(.request(from: "mallory", fingerprint: published.fingerprint.hex)))
            await accepted.close()
            await presence.close()
        }
    }
}
