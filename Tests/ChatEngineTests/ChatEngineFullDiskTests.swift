import ChatWire
import Foundation
import Testing
import TestSupport

@testable import ChatEngine

/// bob's data directory is on a small tmpfs that the test fills: what alice, the sender, sees.
@Suite("ChatEngine: the receiver's disk is full", .serialized, .enabled(if: SmallDisk.canMount, "needs root to mount a small tmpfs"))
struct ChatEngineFullDiskTests {
    /// alice and bob are friends; bob's whole data directory is on `disk`.
    private func friends(_ network: TestNetwork, bobOn disk: SmallDisk) async throws -> (alice: TestUser, bob: TestUser) {
        let alice = try await network.user("alice")
        let bob = try await network.user("bob") { $0.dataDirectory = disk.directory.appendingPathComponent("bob") }
        try await befriend(alice, bob)
        return (alice, bob)
    }

    private static func errors(_ user: TestUser) async -> [String] {
        await user.events.all.compactMap { if case .session(.error(let text)) = $0 { text } else { nil } }
    }

    @Test("a file bob cannot store fails at alice with bob's reason, and /file returns")
    func fileRefusedWhenFull() async throws {
        try await TestNetwork.run { network in
            let disk = try SmallDisk.mount(at: network.root.appendingPathComponent("bob-disk"))
            defer { disk.unmount() }
            let (alice, bob) = try await friends(network, bobOn: disk)
            let source = try TestFiles.make("f.bin", size: 64 << 10, in: network.root.appendingPathComponent("outbox"))
            try disk.fill()

            let (transfer, offered) = try await alice.engine.sendFile(at: source.path, to: "bob")
            #expect(offered)
            let failed = try #require(
                await alice.events.first(within: .seconds(30)) { $0.fileFailed != nil }?.fileFailed, "alice never heard back")
            #expect(failed.reason == "bob: could not store it: the disk is full")
            // What a scripted /file waits for: it has its answer.
            #expect(try await alice.engine.transferOutcome(transfer.number).state == .failed)
            let bobErrors = await Self.errors(bob)
            #expect(bobErrors.count == 1, "bob: \(bobErrors)")
            #expect(bobErrors.first?.contains("could not store it: the disk is full") ?? false)

            try disk.free()
            let (_, delivery) = try await alice.engine.send("room again", to: "bob")
            #expect(delivery == .delivered)
        }
    }

    @Test("messages refused while bob's disk was full arrive soon after it has room, before newer ones")
    func refusedMessagesRetriedInOrder() async throws {
        try await TestNetwork.run { network in
            let disk = try SmallDisk.mount(at: network.root.appendingPathComponent("bob-disk"))
            defer { disk.unmount() }
            let (alice, bob) = try await friends(network, bobOn: disk)
            try disk.fill()
            let (first, firstDelivery) = try await alice.engine.send("one", to: "bob")
            let (second, secondDelivery) = try await alice.engine.send("two", to: "bob")
            #expect(firstDelivery == .queued)
            #expect(secondDelivery == .queued)
            #expect(await bob.events.count { $0.message != nil } == 0)

            try disk.free()
            // Sent at once on the live connection: it must not overtake the two before it.
            _ = try await alice.engine.send("three", to: "bob")
            let third = await bob.events.first(within: .seconds(30)) { $0.message?.body == "three" }
            #expect(third != nil, "bob did not get the newest message within 30 s of having room")
            #expect(try await bob.bodies(with: "alice") == ["one", "two", "three"])
            for id in [first, second] {
                #expect(await alice.events.first(within: .seconds(10)) { $0 == .messaging(.delivered(to: "bob", id: id)) } != nil)
            }
            #expect(try await alice.engine.queuedCount() == 0)
            let bobErrors = await Self.errors(bob)
            #expect(bobErrors.count == 1, "told once while the disk was full: \(bobErrors)")
        }
    }
}
