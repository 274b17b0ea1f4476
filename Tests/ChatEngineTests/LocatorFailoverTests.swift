@testable import ChatEngine
import ChatIdentity
import ChatWire
import Foundation
import Locator
import LoopbackPorts
import Testing
import TestSupport

/// A locator client given several replicas (`--locator a,b`): it moves to another when its replica
/// goes, and pins one identity for the whole service. Replicas here are in-process locators on
/// SQLite; the ones over PostgreSQL, killed with SIGKILL, are in `LocatorReplicaFailoverTests`.
@Suite("LocatorClient: failover between replicas", .serialized, .timeLimit(.minutes(1)))
struct LocatorFailoverTests {
    typealias Support = LocatorClientTestSupport

    static func addresses(_ locators: TestLocator...) -> [LocatorAddress] {
        locators.map { LocatorAddress(host: "127.0.0.1", port: $0.port) }
    }

    static func client(
        _ user: String, at addresses: [LocatorAddress], knownLocators: URL
    ) -> any LocatorClient {
        LocatorClient.Mode.modern.makeClient(
            addresses: addresses, user: user, password: "correct horse", knownLocatorsFile: knownLocators,
            logger: Support.logger, timing: Support.fastTiming)
    }

    /// A client of the replicas at `addresses`, logged in, and what it reported so far.
    static func loggedIn(
        _ user: String, at addresses: [LocatorAddress], knownLocators: URL
    ) async throws -> (any LocatorClient, UpdateRecorder) {
        let client = Self.client(user, at: addresses, knownLocators: knownLocators)
        let updates = UpdateRecorder(client.updates)
        try await client.start(peerPort: 40000, fingerprint: try Support.fingerprint("aa"))
        try await updates.next(.connected)
        return (client, updates)
    }

    @Test("a client whose replica stops moves to the other, says where, and pins the service's fingerprint for it")
    func movesToTheOtherReplica() async throws {
        try await withTemporaryDirectory(prefix: "p2pchat-failover") { root in
            // One identity file for both: replicas of one service present one identity.
            let identity = root.appendingPathComponent("service.identity")
            let first = try await TestLocator.start(in: root.appendingPathComponent("a")) { $0.identityPath = identity }
            let second = try await TestLocator.start(in: root.appendingPathComponent("b")) { $0.identityPath = identity }
            let known = root.appendingPathComponent("known_locators")
            let (alice, updates) = try await Self.loggedIn("alice", at: Self.addresses(first, second), knownLocators: known)

            await first.stop()
            try await updates.next("disconnected") { $0.isDisconnected }
            try await updates.next(.moved(to: "127.0.0.1:\(second.port)"))
            try await updates.next(.connected)
            #expect(await alice.isConnected)
            #expect(updates.all.filter { $0 == .connected }.count == 2, "\(updates.all)")

            let pins = try String(contentsOf: known, encoding: .utf8)
            #expect(pins.contains("127.0.0.1:\(first.port) \(first.fingerprint.hex)"), "\(pins)")
            #expect(pins.contains("127.0.0.1:\(second.port) \(second.fingerprint.hex)"), "\(pins)")
            await alice.stop()
            await second.stop()
        }
    }

    @Test("a client that lost its locator logs in again with its resumption token, spending it, and holds a new one")
    func resumesWithItsToken() async throws {
        try await withTemporaryDirectory(prefix: "p2pchat-failover") { root in
            let directory = root.appendingPathComponent("a")
            let first = try await TestLocator.start(in: directory)
            let port = first.port
            let (alice, updates) = try await Self.loggedIn(
                "alice", at: Self.addresses(first), knownLocators: root.appendingPathComponent("known_locators"))
            let before = try #require(await heldResumeToken(of: alice), "a token after the first login")

            await first.stop()
            try await updates.next("disconnected") { $0.isDisconnected }
            let back = try await TestLocator.start(in: directory) { $0.port = port }
            try await updates.next(.connected)
            let after = try #require(await heldResumeToken(of: alice), "a new token after logging in again")
            #expect(after != before)
            // Only a RESUME spends a token (a LOGIN with the password leaves it be): alice's was.
            let other = try await TestSupport.ModernLocatorClient.connect(to: back)
            let reply = try await other.request(.resume(user: "alice", token: before))
            #expect({ if case .error(let error) = reply { error.code == .auth } else { false } }(), "\(reply)")
            await other.close()
            await alice.stop()
            await back.stop()
        }
    }

    @Test("a replica with another identity than the service's is refused loudly, and the client waits for one that has it")
    func refusesAnotherIdentity() async throws {
        try await withTemporaryDirectory(prefix: "p2pchat-failover") { root in
            let firstDirectory = root.appendingPathComponent("a")
            let first = try await TestLocator.start(in: firstDirectory)
            let firstPort = first.port
            let impostor = try await TestLocator.start(in: root.appendingPathComponent("b"))
            #expect(first.fingerprint != impostor.fingerprint)
            let known = root.appendingPathComponent("known_locators")
            let (alice, updates) = try await Self.loggedIn("alice", at: Self.addresses(first, impostor), knownLocators: known)

            await first.stop()
            let refusal = try await updates.next("the impostor refused") {
                if case .replicaRefused = $0 { true } else { false }
            }
            guard case .replicaRefused(let warning) = refusal else { return }
            #expect(warning.contains("127.0.0.1:\(impostor.port) HAS ANOTHER IDENTITY"), "\(warning)")
            #expect(warning.contains(first.fingerprint.grouped) && warning.contains(impostor.fingerprint.grouped), "\(warning)")
            #expect(await !alice.isConnected)
            let pins = try String(contentsOf: known, encoding: .utf8)
            #expect(!pins.contains("127.0.0.1:\(impostor.port)"), "\(pins)")

            // The service's own replica comes back: the client logs in there, with no move to tell.
            let back = try await TestLocator.start(in: firstDirectory) { $0.port = firstPort }
            try await updates.next(.connected)
            #expect(!updates.all.contains { if case .moved = $0 { true } else { false } }, "\(updates.all)")
            #expect(updates.all.filter { if case .replicaRefused = $0 { true } else { false } }.count == 1, "said once: \(updates.all)")
            await alice.stop()
            await back.stop()
            await impostor.stop()
        }
    }

    @Test("at the first login an unreachable replica is passed over for the next one")
    func startsAtTheNextReplica() async throws {
        try await withTemporaryDirectory(prefix: "p2pchat-failover") { root in
            let locator = try await TestLocator.start(in: root.appendingPathComponent("a"))
            let dead = LocatorAddress(host: "127.0.0.1", port: try FreePort.onLoopback())
            let alice = Self.client(
                "alice", at: [dead] + Self.addresses(locator), knownLocators: root.appendingPathComponent("known_locators"))
            let updates = UpdateRecorder(alice.updates)
            #expect(try await alice.start(peerPort: 40000, fingerprint: try Support.fingerprint("aa")) == .registered)
            try await updates.next(.connected)
            #expect(!updates.all.contains { if case .moved = $0 { true } else { false } }, "the first login is no move")
            await alice.stop()
            await locator.stop()
        }
    }

    @Test("a host name stands for its addresses, an IP address for itself, and a name that does not resolve for none")
    func endpointsOfNames() async throws {
        let endpoints = await LocatorEndpoints.resolve([
            LocatorAddress(host: "localhost", port: 8000), LocatorAddress(host: "::1", port: 8001),
            LocatorAddress(host: "no-such-host.invalid", port: 8002), LocatorAddress(host: "localhost", port: 8000),
        ])
        let localhost = endpoints.filter { $0.address.host == "localhost" }
        #expect(localhost.contains { $0.ip == "127.0.0.1" && $0.name == "localhost:8000 (127.0.0.1:8000)" }, "\(endpoints)")
        #expect(Set(localhost.map(\.ip)).count == localhost.count, "each address once: \(endpoints)")
        #expect(endpoints.contains { $0.ip == "::1" && $0.name == "[::1]:8001" }, "\(endpoints)")
        #expect(!endpoints.contains { $0.port == 8002 }, "\(endpoints)")
    }
}
