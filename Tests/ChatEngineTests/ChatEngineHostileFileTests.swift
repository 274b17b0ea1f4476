import ChatEngine
import ChatIdentity
import ChatWire
import Crypto
import Foundation
import NIOCore
import Testing
import TestSupport

/// mallory, a peer written by hand, offers files with names no engine would send.
@Suite("ChatEngine: file offers from a hostile peer", .serialized)
struct ChatEngineHostileFileTests {
    typealias Scene = ChatEngineHostilePeerTests.Scene

    @Test("an offer from someone who is not a friend is refused, and nothing is written")
    func strangerOffer() async throws {
        try await TestNetwork.run { network in
            let scene = try await Scene.make(network)
            defer { Task { await scene.close() } }
            try scene.mallory.send(
                Envelope(type: .file, source: "mallory", target: "alice", data: "gift.exe", fileSize: 10, transfer: "t-1"))
            let refusal = await scene.mallory.received.first { $0.type == .fileCancel }
            #expect(refusal?.transfer == "t-1")
            try await scene.markerRequest()
            #expect(await scene.alice.events.count { $0.fileOffer != nil } == 0)
            #expect(!FileManager.default.fileExists(atPath: scene.alice.downloads.path))
        }
    }

    @Test(
        "hostile names land inside the downloads directory, cleaned",
        arguments: [
            ("../../escape.sh", "___escape.sh"), ("/etc/passwd", "_etc_passwd"), (".bashrc", "bashrc"),
            ("a\u{0}b\nc\u{7}.txt", "abc.txt"), ("\u{202E}gnp.exe", "gnp.exe"), ("..\\..\\win.ini", "___win.ini"),
            ("résumé 履歴書.pdf", "résumé 履歴書.pdf"),
        ])
    func hostileNames(name: String, expected: String) async throws {
        try await TestNetwork.run { network in
            let scene = try await Scene.make(network)
            defer { Task { await scene.close() } }
            try await scene.befriendMallory()
            let bytes = ByteBuffer(string: "contents of \(expected)")
            let sha256 = SHA256.hash(data: Data(bytes.readableBytesView)).map { String(format: "%02x", $0) }.joined()
            try scene.mallory.send(
                Envelope(type: .file, source: "mallory", target: "alice", data: name, fileSize: Int64(bytes.readableBytes), transfer: "t-2"))
            let accept = try #require(await scene.mallory.received.first { $0.type == .fileAccept })
            #expect(accept.offset == 0)
            scene.mallory.send(frame: .chunk(StreamChunk(streamID: try #require(accept.stream), bytes: bytes).payload))
            try scene.mallory.send(Envelope(type: .fileEnd, source: "mallory", target: "alice", transfer: "t-2", sha256: sha256))
            let received = try #require(await scene.alice.events.first { if case .transfers(.received) = $0 { true } else { false } })
            guard case .transfers(.received(let transfer)) = received else { return }
            #expect(transfer.name == expected)
            let path = try #require(transfer.path)
            #expect(URL(fileURLWithPath: path).deletingLastPathComponent().path == scene.alice.downloads.path)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "contents of \(expected)")
            #expect(await scene.mallory.received.first { $0.type == .fileDone }?.sha256 == sha256)
        }
    }

    @Test("more bytes than offered fail the transfer instead of growing the file")
    func tooManyBytes() async throws {
        try await TestNetwork.run { network in
            let scene = try await Scene.make(network)
            defer { Task { await scene.close() } }
            try await scene.befriendMallory()
            try scene.mallory.send(Envelope(type: .file, source: "mallory", target: "alice", data: "small.txt", fileSize: 4, transfer: "t-3"))
            let accept = try #require(await scene.mallory.received.first { $0.type == .fileAccept })
            scene.mallory.send(frame: .chunk(StreamChunk(streamID: try #require(accept.stream), bytes: ByteBuffer(string: "12345678")).payload))
            let failed = try #require(await scene.alice.events.first { if case .transfers(.failed) = $0 { true } else { false } })
            guard case .transfers(.failed(_, let reason)) = failed else { return }
            #expect(reason.contains("more bytes than it offered"))
            try await scene.bobStillGetsThrough("after mallory's oversized file")
        }
    }
}
