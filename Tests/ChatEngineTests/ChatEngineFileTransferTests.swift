@testable import ChatEngine
import ChatWire
import Foundation
import Testing
import TestSupport

@Suite("ChatEngine: file transfers", .serialized)
struct ChatEngineFileTransferTests {
    static let chunk = TransfersPart.chunkSize

    /// alice sends a file of `size` bytes to bob, who takes it by himself; both see it end well.
    @Test(
        "a file arrives whole, verified and under its own name",
        arguments: [0, 1, chunk, chunk + 1, 10 * 1000 * 1000])
    func sizes(size: Int) async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(alice, bob)
            let source = try TestFiles.make("sample-\(size).bin", size: size, in: network.root.appendingPathComponent("outbox"))

            let (transfer, offered) = try await alice.engine.sendFile(at: source.path, to: "bob")
            #expect(offered)
            let outcome = try await alice.engine.transferOutcome(transfer.number)
            #expect(outcome.state == .done)

            let received = try #require(await bob.events.first(within: .seconds(60)) { $0.fileReceived != nil }?.fileReceived)
            let path = try #require(received.path)
            #expect(path == bob.downloads.appendingPathComponent("sample-\(size).bin").path)
            #expect(received.size == Int64(size))
            #expect(try TestFiles.sha256(of: URL(fileURLWithPath: path)) == TestFiles.sha256(of: source))
            #expect(received.sha256 == (try TestFiles.sha256(of: source)))
            #expect(!FileManager.default.fileExists(atPath: path + ".part"))
            #expect(await alice.events.first { $0.fileSent?.number == transfer.number } != nil)
            let listed = try await bob.engine.fileTransfers()
            #expect(listed.first?.state == .done)
            #expect(listed.first?.direction == .incoming)
        }
    }

    @Test("a Unicode name survives, and a name that is taken gets (1)")
    func unicodeAndClash() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(alice, bob)
            let name = "Grüße 你好 👋.txt"
            let source = try TestFiles.make(name, size: 5000, in: network.root.appendingPathComponent("outbox"))
            for _ in 0..<2 {
                let (transfer, _) = try await alice.engine.sendFile(at: source.path, to: "bob")
                #expect(try await alice.engine.transferOutcome(transfer.number).state == .done)
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: bob.downloads.path).sorted()
            #expect(names == ["Grüße 你好 👋 (1).txt", name].sorted())
        }
    }

    @Test("an offer over the auto-accept size waits for /get; one under it does not")
    func autoAcceptLimit() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob") { $0.parts.transfers.autoAcceptLimit = 1000 }
            try await befriend(alice, bob)
            let outbox = network.root.appendingPathComponent("outbox")
            let small = try TestFiles.make("small.bin", size: 1000, in: outbox)
            let big = try TestFiles.make("big.bin", size: 1001, in: outbox)

            let (smallTransfer, _) = try await alice.engine.sendFile(at: small.path, to: "bob")
            #expect(try await alice.engine.transferOutcome(smallTransfer.number).state == .done)

            let (bigTransfer, _) = try await alice.engine.sendFile(at: big.path, to: "bob")
            #expect(try await alice.engine.transferOutcome(bigTransfer.number, stopsAtWaiting: true).state == .waiting)
            let offer = try #require(await bob.events.first { $0.fileOffer?.name == "big.bin" }?.fileOffer)
            #expect(offer.state == .offered)
            #expect(!FileManager.default.fileExists(atPath: bob.downloads.appendingPathComponent("big.bin").path))

            try await bob.engine.acceptFile(offer.number)
            #expect(try await alice.engine.transferOutcome(bigTransfer.number).state == .done)
            #expect(await bob.events.first { $0.fileReceived?.name == "big.bin" } != nil)
        }
    }

    @Test("a declined offer ends on both sides")
    func decline() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob") { $0.parts.transfers.autoAcceptLimit = 0 }
            try await befriend(alice, bob)
            let source = try TestFiles.make("unwanted.bin", size: 10, in: network.root.appendingPathComponent("outbox"))
            let (transfer, _) = try await alice.engine.sendFile(at: source.path, to: "bob")
            let offer = try #require(await bob.events.first(within: .seconds(30)) { $0.fileOffer != nil }?.fileOffer)
            try await bob.engine.declineFile(offer.number)
            #expect(try await alice.engine.transferOutcome(transfer.number).state == .declined)
            let told = try #require(await alice.events.first { $0.fileCancelled != nil }?.fileCancelled)
            #expect(told.reason == "declined by bob")
            await #expect(throws: TransferError.wrongState(offer.number, "is not an offer waiting for you")) {
                try await bob.engine.acceptFile(offer.number)
            }
        }
    }

    @Test("cancel from the sender while the bytes flow: the receiver is told and its .part goes")
    func cancelBySender() async throws {
        try await cancelMidway(bySender: true)
    }

    @Test("cancel from the receiver while the bytes flow: the sender is told and stops")
    func cancelByReceiver() async throws {
        try await cancelMidway(bySender: false)
    }

    private func cancelMidway(bySender: Bool) async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(alice, bob)
            let source = try TestFiles.make("long.bin", size: 64 << 20, in: network.root.appendingPathComponent("outbox"))
            let (transfer, _) = try await alice.engine.sendFile(at: source.path, to: "bob")
            let started = try #require(await bob.events.first(within: .seconds(30)) { $0.fileProgress != nil }?.fileProgress)
            let (canceller, other, number) = bySender ? (alice, bob, transfer.number) : (bob, alice, started.number)
            try await canceller.engine.cancelFile(number)
            let told = try #require(await other.events.first(within: .seconds(30)) { $0.fileCancelled != nil }?.fileCancelled)
            #expect(told.reason == "cancelled by \(canceller.name)")
            #expect(await bob.events.first(within: .seconds(1)) { $0.fileReceived != nil } == nil)
            #expect(try await alice.engine.transferOutcome(transfer.number).state == .cancelled)
            let part = bob.downloads.appendingPathComponent("long.bin.part").path
            #expect(await eventually { !FileManager.default.fileExists(atPath: part) })
        }
    }

    @Test("a file cannot be offered to someone who is not a friend, nor can a missing file")
    func refusedOffers() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            _ = try await network.user("carol")
            let source = try TestFiles.make("x.bin", size: 10, in: network.root.appendingPathComponent("outbox"))
            await #expect(throws: FriendError.notFriend("carol")) {
                try await alice.engine.sendFile(at: source.path, to: "carol")
            }
            let bob = try await network.user("bob")
            try await befriend(alice, bob)
            let missing = network.root.appendingPathComponent("nope.bin").path
            await #expect(throws: TransferError.unusableFile(missing, reason: "No such file or directory")) {
                try await alice.engine.sendFile(at: missing, to: "bob")
            }
            await #expect(throws: TransferError.unusableFile(network.root.path, reason: "it is not a regular file")) {
                try await alice.engine.sendFile(at: network.root.path, to: "bob")
            }
        }
    }

    @Test("a source file changed after the offer fails clearly on both sides")
    func changedSource() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob") { $0.parts.transfers.autoAcceptLimit = 0 }
            try await befriend(alice, bob)
            let source = try TestFiles.make("draft.txt", size: 1000, in: network.root.appendingPathComponent("outbox"))
            let (transfer, _) = try await alice.engine.sendFile(at: source.path, to: "bob")
            let offer = try #require(await bob.events.first(within: .seconds(30)) { $0.fileOffer != nil }?.fileOffer)
            let handle = try FileHandle(forWritingTo: source)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("more".utf8))
            try handle.close()
            try await bob.engine.acceptFile(offer.number)
            let failed = try #require(await alice.events.first { $0.fileFailed != nil }?.fileFailed)
            #expect(failed.reason.contains("changed since it was offered"))
            #expect(try await alice.engine.transferOutcome(transfer.number).state == .failed)
            let told = try #require(await bob.events.first { $0.fileFailed != nil }?.fileFailed)
            #expect(told.reason.contains("changed since it was offered"))
        }
    }

    @Test("a message sent in the middle of a 200 MB transfer arrives before the transfer ends")
    func chatDuringTransfer() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob") { $0.parts.transfers.autoAcceptLimit = 300 << 20 }
            try await befriend(alice, bob)
            let source = try TestFiles.make("big.bin", size: 200 * 1000 * 1000, in: network.root.appendingPathComponent("outbox"))
            let (transfer, _) = try await alice.engine.sendFile(at: source.path, to: "bob")
            #expect(await bob.events.first(within: .seconds(30)) { $0.fileProgress != nil } != nil)
            let (id, _) = try await alice.engine.send("still talking", to: "bob")
            #expect(await bob.events.first(within: .seconds(60)) { $0.message?.id == id } != nil)
            let events = await bob.events.all
            let messageIndex = try #require(events.firstIndex { $0.message?.id == id })
            #expect(!events[..<messageIndex].contains { $0.fileReceived != nil }, "the message waited for the file")
            #expect(try await alice.engine.transferOutcome(transfer.number).state == .done)
            let received = try #require(await bob.events.first(within: .seconds(120)) { $0.fileReceived != nil }?.fileReceived)
            #expect(received.sha256 == (try TestFiles.sha256(of: source)))
        }
    }
}
