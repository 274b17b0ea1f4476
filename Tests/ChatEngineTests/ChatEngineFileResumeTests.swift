@testable import ChatEngine
import ChatWire
import Foundation
import Testing
import TestSupport

@Suite("ChatEngine: file transfers that are interrupted", .serialized)
struct ChatEngineFileResumeTests {
    // Big enough that the transfer still runs when the test stops one side, even when the
    // first progress event reaches the test late.
    static let size = 96 << 20  // under the default auto-accept size

    /// alice starts sending a big file to bob; once bytes flow, `interrupted` (alice or bob) stops,
    /// and `between` runs while it is down. Returns the users as they are after the restart and the
    /// bytes bob held when it stopped.
    private func interrupt(
        _ network: TestNetwork, stopping stopped: String, between: (TestUser, TestUser) async throws -> Void = { _, _ in }
    ) async throws -> (alice: TestUser, bob: TestUser, held: Int64, source: URL) {
        var alice = try await network.user("alice")
        var bob = try await network.user("bob")
        try await befriend(alice, bob)
        let source = try TestFiles.make("resume.bin", size: Self.size, in: network.root.appendingPathComponent("outbox"))
        _ = try await alice.engine.sendFile(at: source.path, to: "bob")
        try #require(await bob.events.first(within: .seconds(30)) { $0.fileProgress != nil } != nil)
        if stopped == "bob" {
            await bob.engine.close()
        } else {
            await alice.engine.close()
        }
        let part = bob.downloads.appendingPathComponent("resume.bin.part").path
        try #require(await eventually { await !(stopped == "bob" ? bob : alice).engine.isLoggedIn })
        try await between(alice, bob)
        let held = TestFiles.size(of: part) ?? 0
        if stopped == "bob" {
            bob = try await network.user("bob")
        } else {
            alice = try await network.user("alice")
        }
        return (alice, bob, held, source)
    }

    @Test("the receiver stops half-way and comes back: the transfer goes on from the bytes on disk")
    func receiverRestarts() async throws {
        try await TestNetwork.run { network in
            let (_, bob, held, source) = try await interrupt(network, stopping: "bob")
            #expect(held > 0 && held < Int64(Self.size), "bob held \(held) bytes when stopped")
            let resumed = try #require(await bob.events.first(within: .seconds(60)) { $0.fileProgress != nil }?.fileProgress)
            #expect(resumed.bytes > held, "the first progress after the restart counts the bytes already held")
            let received = try #require(await bob.events.first(within: .seconds(120)) { $0.fileReceived != nil }?.fileReceived)
            #expect(received.sha256 == (try TestFiles.sha256(of: source)))
            #expect(try TestFiles.sha256(of: URL(fileURLWithPath: try #require(received.path))) == received.sha256)
        }
    }

    @Test("the sender stops half-way and comes back: the transfer goes on by itself")
    func senderRestarts() async throws {
        try await TestNetwork.run { network in
            let (alice, bob, held, source) = try await interrupt(network, stopping: "alice")
            #expect(held > 0 && held < Int64(Self.size), "bob held \(held) bytes when alice stopped")
            let received = try #require(await bob.events.first(within: .seconds(120)) { $0.fileReceived != nil }?.fileReceived)
            #expect(received.sha256 == (try TestFiles.sha256(of: source)))
            #expect(await alice.events.first(within: .seconds(10)) { $0.fileSent != nil } != nil)
        }
    }

    @Test("hashing a multi-GiB .part on resume holds up neither the chat nor the transfer")
    func bigResumeHashLeavesChatFree() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(alice, bob)
            // Zeros, sparse on both sides: gigabytes to hash, nothing to write.
            let size: Int64 = 2 << 30
            let source = network.root.appendingPathComponent("outbox/zeros.bin")
            try FileManager.default.createDirectory(at: source.deletingLastPathComponent(), withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: source.path, contents: nil))
            try Self.extend(source.path, to: size)
            _ = try await alice.engine.sendFile(at: source.path, to: "bob")
            let offer = try #require(await bob.events.first(within: .seconds(30)) { $0.fileOffer?.name == "zeros.bin" }?.fileOffer)
            _ = try await bob.engine.acceptFile(offer.number)
            await bob.engine.logout()

            // While bob is away his .part grows to all but the last MiB: the resume hashes that much.
            let part = bob.downloads.appendingPathComponent("zeros.bin.part").path
            try Self.extend(part, to: size - (1 << 20))
            let back = await bob.events.mark()
            try await bob.login()
            try #require(await eventually(within: .seconds(60)) { Self.isOpen(part) }, "the resume never opened the .part")
            let hashing = await bob.events.mark()
            _ = try await bob.engine.send("still here?", to: "alice")
            #expect(await alice.events.first(within: .seconds(60)) { $0.message?.body == "still here?" } != nil)
            let resumed = await bob.events.count(after: hashing) { $0.fileProgress != nil || $0.fileReceived != nil }
            #expect(resumed == 0, "the message waited for the hash of the .part")

            let received = try #require(await bob.events.first(after: back, within: .seconds(300)) { $0.fileReceived != nil }?.fileReceived)
            #expect(received.bytes == size)
        }
    }

    /// Makes `path` `size` bytes long; what it gains reads as zeros and takes no disk.
    private static func extend(_ path: String, to size: Int64) throws {
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.truncate(atOffset: UInt64(size))
        try handle.close()
    }

    /// Whether this process has `path` open (the receiver reads it while it hashes).
    private static func isOpen(_ path: String) -> Bool {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return descriptors.contains { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) == path }
    }

    /// Flips one byte of bob's `.part` (while bob is down).
    private static func damagePart(of bob: TestUser) throws {
        let handle = try FileHandle(forUpdating: bob.downloads.appendingPathComponent("resume.bin.part"))
        try handle.seek(toOffset: 10)
        let byte = try #require(try handle.read(upToCount: 1))
        try handle.seek(toOffset: 10)
        try handle.write(contentsOf: Data([byte[0] ^ 0xFF]))
        try handle.close()
    }

    @Test("a .part damaged while the receiver was down fails the hash: the download starts again from zero, once, and says so")
    func corruptedPartStartsOver() async throws {
        try await TestNetwork.run { network in
            let (alice, bob, held, source) = try await interrupt(network, stopping: "bob") { _, bob in try Self.damagePart(of: bob) }
            #expect(held > 0)
            let restarted = try #require(await bob.events.first(within: .seconds(120)) { $0.fileRestarted != nil }?.fileRestarted)
            #expect(restarted.reason.contains("do not match"))
            #expect(restarted.transfer.bytes == 0)
            let received = try #require(await bob.events.first(within: .seconds(120)) { $0.fileReceived != nil }?.fileReceived)
            #expect(received.sha256 == (try TestFiles.sha256(of: source)))
            #expect(try TestFiles.sha256(of: URL(fileURLWithPath: try #require(received.path))) == received.sha256)
            #expect(await bob.events.count { $0.fileFailed != nil } == 0)
            #expect(await alice.events.first(within: .seconds(10)) { $0.fileSent != nil } != nil)
        }
    }

    @Test("damaged again after starting over, it fails for good; /files shows the bytes the .part holds")
    func corruptedTwiceFails() async throws {
        try await TestNetwork.run { network in
            let (alice, restartedBob, _, _) = try await interrupt(network, stopping: "bob") { _, bob in try Self.damagePart(of: bob) }
            var bob = restartedBob
            try #require(await bob.events.first(within: .seconds(120)) { $0.fileRestarted != nil } != nil)
            // Bytes flow again from zero: stop bob once more, damage the new .part, and bring him back.
            let mark = await bob.events.mark()
            try #require(await bob.events.first(after: mark, within: .seconds(60)) { ($0.fileProgress?.bytes ?? 0) > 0 } != nil)
            await bob.engine.close()
            try Self.damagePart(of: bob)
            bob = try await network.user("bob")
            let failed = try #require(await bob.events.first(within: .seconds(120)) { $0.fileFailed != nil }?.fileFailed)
            #expect(failed.reason.contains("do not match"))
            #expect(await bob.events.count { $0.fileRestarted != nil } == 0, "started over a second time")
            let part = bob.downloads.appendingPathComponent("resume.bin.part").path
            #expect(TestFiles.size(of: part) == Int64(Self.size))
            let listed = try #require(try await bob.engine.fileTransfers().first)
            #expect(listed.state == .failed)
            #expect(listed.bytes == Int64(Self.size), "/files shows \(listed.bytes) bytes; the .part holds all \(Self.size)")
            #expect(await alice.events.first(within: .seconds(10)) { $0.fileFailed != nil } != nil)
        }
    }

    @Test("the sender cancels while the receiver is away: the receiver is told when it is back, and its .part goes")
    func cancelWhileReceiverAway() async throws {
        try await TestNetwork.run { network in
            let (alice, bob, held, _) = try await interrupt(network, stopping: "bob") { alice, _ in
                let sending = try #require(try await alice.engine.fileTransfers().first)
                try await alice.engine.cancelFile(sending.number)
            }
            #expect(held > 0)
            let told = try #require(await bob.events.first(within: .seconds(60)) { $0.fileCancelled != nil }?.fileCancelled)
            #expect(told.reason == "cancelled by alice")
            #expect(try await bob.engine.fileTransfers().map(\.state) == [.cancelled])
            #expect(try await alice.engine.fileTransfers().map(\.state) == [.cancelled])
            let part = bob.downloads.appendingPathComponent("resume.bin.part").path
            #expect(await eventually { !FileManager.default.fileExists(atPath: part) })
            #expect(await bob.events.first(within: .seconds(1)) { $0.fileReceived != nil } == nil)
        }
    }

    @Test("a full disk fails the transfer with a clear error, keeps the .part, and chat goes on")
    func diskFull() async throws {
        try await TestNetwork.run { network in
            let downloads = network.root.appendingPathComponent("small-disk")
            try FileManager.default.createDirectory(at: downloads, withIntermediateDirectories: true)
            guard Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", downloads.path]) else {
                print("skipped: cannot mount a 2 MB tmpfs here (needs root and mount rights)")
                return
            }
            defer { _ = Self.run("/bin/umount", ["-l", downloads.path]) }
            let alice = try await network.user("alice")
            let bob = try await network.user("bob") { $0.parts.transfers.downloadsDirectory = downloads }
            try await befriend(alice, bob)
            let source = try TestFiles.make("too-big.bin", size: 4 << 20, in: network.root.appendingPathComponent("outbox"))
            let (transfer, _) = try await alice.engine.sendFile(at: source.path, to: "bob")
            let failed = try #require(await bob.events.first(within: .seconds(30)) { $0.fileFailed != nil }?.fileFailed)
            #expect(failed.reason.contains("disk is full"))
            #expect(failed.reason.contains("too-big.bin.part is kept"))
            #expect(FileManager.default.fileExists(atPath: downloads.appendingPathComponent("too-big.bin.part").path))
            #expect(try await alice.engine.transferOutcome(transfer.number).state == .failed)
            let (_, delivery) = try await alice.engine.send("still here", to: "bob")
            #expect(delivery == .delivered)
        }
    }

    private static func run(_ tool: String, _ arguments: [String]) -> Bool {
        (try? SpawnedProcess.run(tool, arguments))?.status == 0
    }
}
