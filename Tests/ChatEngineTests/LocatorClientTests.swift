import ChatEngine
import ChatIdentity
import ChatWire
import Foundation
import Locator
import TestSupport
import Testing
import TestSupport

/// The locator client against a real in-process locator on 127.0.0.1.
@Suite("LocatorClient", .timeLimit(.minutes(1)))
struct LocatorClientTests {
    typealias Support = LocatorClientTestSupport

    // MARK: - Login

    @Test("the first login registers the name, later ones are welcomed")
    func registersThenWelcomes() async throws {
        try await withTemporaryDirectory { dir in
            let locator = try await TestLocator.start(in: dir)
            let known = dir.appendingPathComponent("known_locators")
            let first = Support.client("alice", locator: locator, knownLocators: known)
            let updates = UpdateRecorder(first.updates)
            #expect(try await first.start(peerPort: 40000, fingerprint: Support.fingerprint("a1")) == .registered)
            #expect(await first.isConnected)
            try await updates.next(.connected)
            await first.stop()
            #expect(await !first.isConnected)

            let again = Support.client("alice", locator: locator, knownLocators: known)
            #expect(try await again.start(peerPort: 40000, fingerprint: Support.fingerprint("a1")) == .welcome)
            await again.stop()
            await locator.stop()
        }
    }

    @Test("a wrong password fails start with an error that says so, and is not retried")
    func wrongPassword() async throws {
        try await withTemporaryDirectory { dir in
            let locator = try await TestLocator.start(in: dir)
            let known = dir.appendingPathComponent("known_locators")
            let alice = Support.client("alice", password: "right", locator: locator, knownLocators: known)
            try await alice.start(peerPort: 40000, fingerprint: Support.fingerprint("a1"))
            await alice.stop()

            let impostor = Support.client("alice", password: "wrong", locator: locator, knownLocators: known)
            let error = await #expect(throws: LocatorClient.Error.self) {
                try await impostor.start(peerPort: 40000, fingerprint: Support.fingerprint("a1"))
            }
            #expect(error == .wrongPassword(user: "alice", locator: "127.0.0.1:\(locator.port)"))
            #expect(error?.description.contains("Wrong password for alice") == true)
            #expect(error?.isFatal == true)
            #expect(await !impostor.isConnected)
            await locator.stop()
        }
    }

    @Test("an unreachable locator fails start at once with a clear error")
    func unreachable() async throws {
        try await withTemporaryDirectory { dir in
            // Bind to learn a free port, then close it: nothing listens there any more.
            let locator = try await TestLocator.start(in: dir)
            await locator.stop()
            let client = Support.client("alice", locator: locator, knownLocators: dir.appendingPathComponent("known"))
            let error = await #expect(throws: LocatorClient.Error.self) {
                try await client.start(peerPort: 40000, fingerprint: Support.fingerprint("a1"))
            }
            guard case .unreachable(let name, _) = error else {
                Issue.record("expected .unreachable, got \(String(describing: error))")
                return
            }
            #expect(name == "127.0.0.1:\(locator.port)")
            #expect(error?.description.contains("Cannot reach the locator at 127.0.0.1:\(locator.port)") == true)
            await #expect(throws: LocatorClient.Error.notStarted) { try await client.query("bob") }
        }
    }

    // MARK: - Query and watch

    @Test("query returns another client's address, advertised port and fingerprint; nil when offline")
    func query() async throws {
        try await withTemporaryDirectory { dir in
            let locator = try await TestLocator.start(in: dir)
            let known = dir.appendingPathComponent("known_locators")
            let alice = Support.client("alice", locator: locator, knownLocators: known)
            let bob = Support.client("bob", locator: locator, knownLocators: known)
            try await alice.start(peerPort: 40000, fingerprint: Support.fingerprint("a1"))
            try await bob.start(peerPort: 40001, fingerprint: Support.fingerprint("b2"))

            let address = try await alice.query("bob")
            #expect(address == PeerAddress(host: "127.0.0.1", port: 40001, fingerprint: try Support.fingerprint("b2").hex))
            #expect(try await alice.query("nobody") == nil)
            await #expect(throws: LocatorClient.Error.self) { try await alice.query("not a name") }

            await bob.stop()
            #expect(try await alice.query("bob") == nil)  // LOGOUT ends presence at once, no grace
            await alice.stop()
            await #expect(throws: LocatorClient.Error.stopped) { try await alice.query("bob") }
            await locator.stop()
        }
    }

    @Test("a watched user's presence is pushed: offline, online as they log in, offline as they leave")
    func watchPushesPresence() async throws {
        try await withTemporaryDirectory { dir in
            let locator = try await TestLocator.start(in: dir)
            let known = dir.appendingPathComponent("known_locators")
            let alice = Support.client("alice", locator: locator, knownLocators: known)
            let updates = UpdateRecorder(alice.updates)
            try await alice.start(peerPort: 40000, fingerprint: Support.fingerprint("a1"))
            await alice.watch(["bob"])
            try await updates.next(.presence(user: "bob", address: nil))

            let bob = Support.client("bob", locator: locator, knownLocators: known)
            try await bob.start(peerPort: 40001, fingerprint: Support.fingerprint("b2"))
            let online = PeerAddress(host: "127.0.0.1", port: 40001, fingerprint: try Support.fingerprint("b2").hex)
            try await updates.next(.presence(user: "bob", address: online))

            await bob.stop()
            try await updates.next(.presence(user: "bob", address: nil))

            // After UNWATCH, bob coming back is no longer reported.
            await alice.unwatch(["bob"])
            let seenBefore = updates.all.count
            let bobAgain = Support.client("bob", locator: locator, knownLocators: known)
            try await bobAgain.start(peerPort: 40001, fingerprint: Support.fingerprint("b2"))
            #expect(try await alice.query("bob") == online)  // a round trip: any push would be here by now
            #expect(!updates.all.dropFirst(seenBefore).contains { $0.isPresence(of: "bob", online: true) })
            await bobAgain.stop()
            await alice.stop()
            await locator.stop()
        }
    }

    // MARK: - Pinning

    @Test("the locator's fingerprint is pinned on first contact, and a changed identity is refused")
    func pinsOnFirstUse() async throws {
        try await withTemporaryDirectory { dir in
            let first = try await TestLocator.start(in: dir)
            let port = first.port
            let known = dir.appendingPathComponent("config/known_locators")
            let alice = Support.client("alice", locator: first, knownLocators: known)
            let updates = UpdateRecorder(alice.updates)
            try await alice.start(peerPort: 40000, fingerprint: Support.fingerprint("a1"))

            let text = try String(contentsOf: known, encoding: .utf8)
            #expect(text == "127.0.0.1:\(port) \(first.fingerprint.hex)\n")
            let mode = try FileManager.default.attributesOfItem(atPath: known.path)[.posixPermissions] as? Int
            #expect(mode == 0o600)

            // Same address, same accounts, a new identity: what an impersonator would look like.
            await first.stop()
            try await updates.next("disconnected") { $0.isDisconnected }
            let impostor = try await TestLocator.start(in: dir) { $0.port = port; $0.identityPath = dir.appendingPathComponent("other-identity.pem") }
            #expect(impostor.fingerprint != first.fingerprint)

            // The running client gives up rather than log in to it...
            let failure = try await updates.next("failed") { $0.failure != nil }.failure ?? ""
            #expect(failure.contains("LOCATOR IDENTITY HAS CHANGED"))
            #expect(await !alice.isConnected)

            // ...and so does a new one, naming both fingerprints and the file to edit.
            let bob = Support.client("bob", locator: impostor, knownLocators: known)
            let error = await #expect(throws: LocatorClient.Error.self) {
                try await bob.start(peerPort: 40001, fingerprint: Support.fingerprint("b2"))
            }
            #expect(
                error == .identityChanged(
                    locator: "127.0.0.1:\(port)", pinned: first.fingerprint, presented: impostor.fingerprint,
                    file: known.path))
            let message = error?.description ?? ""
            #expect(message.contains(first.fingerprint.grouped))
            #expect(message.contains(impostor.fingerprint.grouped))
            #expect(message.contains(known.path))
            #expect(try String(contentsOf: known, encoding: .utf8) == text)  // the pin is not replaced
            await alice.stop()
            await impostor.stop()
        }
    }

    // MARK: - Reconnects

    @Test("a locator restart is survived without help: disconnected, then connected, watches and queries work again")
    func reconnectsAfterRestart() async throws {
        try await withTemporaryDirectory { dir in
            let first = try await TestLocator.start(in: dir)
            let port = first.port
            let known = dir.appendingPathComponent("known_locators")
            let alice = Support.client("alice", locator: first, knownLocators: known)
            let bob = Support.client("bob", locator: first, knownLocators: known)
            let aliceUpdates = UpdateRecorder(alice.updates)
            let bobUpdates = UpdateRecorder(bob.updates)
            try await alice.start(peerPort: 40000, fingerprint: Support.fingerprint("a1"))
            try await bob.start(peerPort: 40001, fingerprint: Support.fingerprint("b2"))
            await alice.watch(["bob"])
            try await aliceUpdates.next("bob online") { $0.isPresence(of: "bob", online: true) }

            await first.stop()
            try await aliceUpdates.next("alice disconnected") { $0.isDisconnected }
            try await bobUpdates.next("bob disconnected") { $0.isDisconnected }
            // While the locator is away, a query fails at once instead of hanging.
            let start = ContinuousClock.now
            await #expect(throws: LocatorClient.Error.notConnected(locator: "127.0.0.1:\(port)")) {
                try await alice.query("bob")
            }
            #expect(ContinuousClock.now - start < .seconds(1))

            let second = try await TestLocator.start(in: dir) { $0.port = port }
            try await aliceUpdates.next(.connected)
            try await bobUpdates.next(.connected)
            #expect(await alice.isConnected)
            // The watch was re-sent by itself: bob is reported online again once he is back.
            try await aliceUpdates.next("bob online again") { $0.isPresence(of: "bob", online: true) }
            let address = try await alice.query("bob")
            #expect(address?.port == 40001)
            #expect(address?.fingerprint == (try Support.fingerprint("b2").hex))
            #expect(try await bob.query("alice")?.port == 40000)

            await bob.stop()
            try await aliceUpdates.next(.presence(user: "bob", address: nil))
            await alice.stop()
            await second.stop()
        }
    }

    @Test("a second login as the same user ends the first session with .failed")
    func replacedElsewhere() async throws {
        try await withTemporaryDirectory { dir in
            let locator = try await TestLocator.start(in: dir)
            let known = dir.appendingPathComponent("known_locators")
            let first = Support.client("alice", locator: locator, knownLocators: known)
            let updates = UpdateRecorder(first.updates)
            try await first.start(peerPort: 40000, fingerprint: Support.fingerprint("a1"))
            let second = Support.client("alice", locator: locator, knownLocators: known)
            try await second.start(peerPort: 40002, fingerprint: Support.fingerprint("a1"))

            try await updates.next(.failed("logged in elsewhere"))
            #expect(await !first.isConnected)
            #expect(await second.isConnected)
            #expect(try await second.query("alice")?.port == 40002)
            await first.stop()
            await second.stop()
            await locator.stop()
        }
    }

    @Test("a line the locator should never send drops the connection, and the client reconnects")
    func garbageFromLocator() async throws {
        try await withTemporaryDirectory { dir in
            // The first connection answers QUERY with a line no locator sends; the second behaves.
            let fake = try await ScriptedLocator.start { connection, line in
                switch line.split(separator: " ").first {
                case "LOGIN": ["OK LOGIN alice welcome"]
                case "ADVERTISE": ["OK ADVERTISE"]
                case "QUERY": connection == 1 ? ["PRESENCE \u{1}\u{2} online ::: x y"] : ["USER bob offline"]
                case "PING": ["PONG"]
                default: ["ERR unknown-command :no"]
                }
            }
            let client = LocatorClient.Mode.modern.makeClient(
                host: "127.0.0.1", port: fake.port, user: "alice", password: "pw",
                knownLocatorsFile: dir.appendingPathComponent("known"), logger: Support.logger,
                timing: Support.fastTiming)
            let updates = UpdateRecorder(client.updates)
            try await client.start(peerPort: 40000, fingerprint: Support.fingerprint("a1"))
            try await updates.next(.connected)
            let error = await #expect(throws: LocatorClient.Error.self) { try await client.query("bob") }
            guard case .connectionLost(_, let reason) = error else {
                Issue.record("expected .connectionLost, got \(String(describing: error))")
                return
            }
            #expect(reason.contains("protocol error: an unreadable line"))
            try await updates.next("disconnected after garbage") { $0.isDisconnected }
            try await updates.next(.connected)
            #expect(try await client.query("bob") == nil)
            await client.stop()
            await fake.stop()
        }
    }

    @Test("a locator that stops answering counts as lost, and the client reconnects")
    func silentLocator() async throws {
        try await withTemporaryDirectory { dir in
            // The first connection never answers PING; the second does.
            let fake = try await ScriptedLocator.start { connection, line in
                switch line.split(separator: " ").first {
                case "LOGIN": ["OK LOGIN alice welcome"]
                case "ADVERTISE": ["OK ADVERTISE"]
                case "PING": connection == 1 ? [] : ["PONG"]
                default: ["ERR unknown-command :no"]
                }
            }
            var timing = Support.fastTiming
            timing.pingInterval = .milliseconds(100)
            // Long enough for the login on a loaded machine; the unanswered PING still trips it.
            timing.replyTimeout = .seconds(2)
            let client = LocatorClient.Mode.modern.makeClient(
                host: "127.0.0.1", port: fake.port, user: "alice", password: "pw",
                knownLocatorsFile: dir.appendingPathComponent("known"), logger: Support.logger, timing: timing)
            let updates = UpdateRecorder(client.updates)
            try await client.start(peerPort: 40000, fingerprint: Support.fingerprint("a1"))
            try await updates.next(.connected)
            let lost = try await updates.next("disconnected") { $0.isDisconnected }
            #expect(lost == .disconnected("no answer to PING within 2.0 seconds"))
            try await updates.next(.connected)
            await client.stop()
            await fake.stop()
        }
    }

    // MARK: - Course protocol

    @Test("course mode: login, query with the id's port, polled presence, logout")
    func courseProtocol() async throws {
        try await withTemporaryDirectory { dir in
            let locator = try await TestLocator.start(in: dir)
            let known = dir.appendingPathComponent("known_locators")
            let me = Support.client("2017011000", password: "net2019", mode: .course, locator: locator, knownLocators: known)
            let updates = UpdateRecorder(me.updates)
            #expect(try await me.start(peerPort: 11000, fingerprint: Support.fingerprint("c3")) == .welcome)
            try await updates.next(.connected)
            #expect(!FileManager.default.fileExists(atPath: known.path))  // no TLS, nothing to pin

            await me.watch(["2019012345"])
            try await updates.next(.presence(user: "2019012345", address: nil))

            let friend = Support.client("2019012345", password: "net2019", mode: .course, locator: locator, knownLocators: known)
            try await friend.start(peerPort: 12345, fingerprint: Support.fingerprint("d4"))
            let online = PeerAddress(host: "127.0.0.1", port: 12345, fingerprint: nil)
            try await updates.next(.presence(user: "2019012345", address: online))
            #expect(try await me.query("2019012345") == online)
            #expect(try await me.query("2019000001") == nil)

            // A modern client sees the course user too, at the port the id implies.
            let modern = Support.client("bob", locator: locator, knownLocators: known)
            try await modern.start(peerPort: 40001, fingerprint: Support.fingerprint("b2"))
            #expect(try await modern.query("2017011000") == PeerAddress(host: "127.0.0.1", port: 11000, fingerprint: nil))
            await modern.stop()

            await friend.stop()  // logout<id>: a course login otherwise outlives its connection
            try await updates.next(.presence(user: "2019012345", address: nil))

            // An id whose last five digits are not a port cannot be reached.
            let odd = Support.client("2019099999", password: "net2019", mode: .course, locator: locator, knownLocators: known)
            try await odd.start(peerPort: 9999, fingerprint: Support.fingerprint("e5"))
            await #expect(throws: LocatorClient.Error.noPeerPort(user: "2019099999", implied: 99999)) {
                try await me.query("2019099999")
            }
            await odd.stop()

            await me.stop()
            let checker = Support.client("carol", locator: locator, knownLocators: known)
            try await checker.start(peerPort: 40003, fingerprint: Support.fingerprint("f6"))
            #expect(try await checker.query("2017011000") == nil)
            await checker.stop()
            await locator.stop()
        }
    }

    @Test("course mode: a wrong password and a non-course id are refused clearly")
    func courseRefusals() async throws {
        try await withTemporaryDirectory { dir in
            let locator = try await TestLocator.start(in: dir)
            let known = dir.appendingPathComponent("known_locators")
            let wrong = Support.client("2017011000", password: "guess", mode: .course, locator: locator, knownLocators: known)
            await #expect(throws: LocatorClient.Error.wrongPassword(user: "2017011000", locator: "127.0.0.1:\(locator.port)")) {
                try await wrong.start(peerPort: 11000, fingerprint: Support.fingerprint("c3"))
            }
            let named = Support.client("alice", password: "net2019", mode: .course, locator: locator, knownLocators: known)
            let error = await #expect(throws: LocatorClient.Error.self) {
                try await named.start(peerPort: 11000, fingerprint: Support.fingerprint("c3"))
            }
            #expect(error?.description.contains("ten-digit") == true)
            await locator.stop()
        }
    }
}
