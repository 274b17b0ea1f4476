@testable import ChatEngine
import Foundation
import Testing
import TestSupport

/// Users of two `p2pchat locator` replicas over one PostgreSQL (`--locator a,b`), one of which is
/// killed with SIGKILL.
@Suite(
    "Locator replicas: clients fail over", .serialized, .timeLimit(.minutes(3)),
    .enabled(if: TestPostgres.isAvailable, "\(TestPostgres.unavailableReason ?? "")"))
struct LocatorReplicaFailoverTests {
    @Test("kill -9 of a replica: its users move to the other, friends see them online again, not offline for good, and a message sent meanwhile arrives")
    func killedReplica() async throws {
        try await withTestPostgres { postgres in
            try await withTemporaryDirectory(prefix: "p2pchat-replica-failover") { root in
                let arguments = try ReplicaFiles.arguments(for: postgres, in: root)
                let doomed = try await LimitedLocator.start(fileLimit: 4096, arguments: arguments)
                let survivor: LimitedLocator
                do {
                    survivor = try await LimitedLocator.start(fileLimit: 4096, arguments: arguments)
                } catch {
                    await doomed.stop()
                    throw error
                }
                let service = [doomed, survivor].map { LocatorAddress(host: "127.0.0.1", port: $0.port) }
                // alice is at the doomed replica, bob at the survivor.
                let alice = try TestUser("alice", locators: service, root: root)
                let bob = try TestUser("bob", locators: service.reversed(), root: root)
                do {
                    try await alice.login()
                    try await bob.login()
                    try await befriend(alice, bob)
                    #expect(await eventually { await bob.engine.isOnline("alice") })

                    let aliceMark = await alice.events.mark(), bobMark = await bob.events.mark()
                    doomed.process.signal(SIGKILL)
                    _ = try await alice.engine.send("sent during the move", to: "bob")
                    let moved = await alice.events.first(after: aliceMark) {
                        $0 == .session(.locatorMoved(address: "127.0.0.1:\(survivor.port)"))
                    }
                    let seen = await alice.events.all.suffix(10)
                    #expect(moved != nil, "\(seen)")
                    let received = await bob.events.first(after: bobMark) { $0.message?.body == "sent during the move" }
                    #expect(received != nil)

                    // The dead replica's lease runs out and a sweep removes it and its users:
                    // alice, at the survivor now, is not among them.
                    #expect(await eventually(within: .seconds(40)) { (try? postgres.psql("SELECT count(*) FROM replica")) == "1" })
                    #expect(try await bob.engine.query("alice") != nil, "the locator has alice online")
                    #expect(await bob.engine.isOnline("alice"))
                    let lastPresence = await bob.events.all.dropFirst(bobMark).last { $0.presenceOnline(of: "alice") != nil }
                    #expect(lastPresence.map { $0.presenceOnline(of: "alice") == true } ?? true, "bob was last told alice is offline")
                } catch {
                    await Self.close(alice, bob, doomed, survivor)
                    throw error
                }
                await Self.close(alice, bob, doomed, survivor)
            }
        }
    }

    static func close(_ alice: TestUser, _ bob: TestUser, _ doomed: LimitedLocator, _ survivor: LimitedLocator) async {
        await alice.engine.close()
        await bob.engine.close()
        await doomed.stop()
        await survivor.stop()
    }
}

extension EngineEvent {
    /// Whether this tells that `user` came online (true) or went offline (false); nil otherwise.
    func presenceOnline(of user: String) -> Bool? {
        if case .session(.presence(user, let online, _)) = self { online } else { nil }
    }
}
