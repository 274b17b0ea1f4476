import ChatWire
import Foundation
import NIOCore
import NIOEmbedded
import Testing

/// Seeded random input against every parser and decoder: none may crash (errors are fine), and what
/// a parser accepts must render and parse back to the same value. A failure names its seed.
@Suite("Parsers under random input")
struct FuzzTests {
    static let iterations = 3000

    static let validLines: [String] = [
        "2017011000_net2019", "q2019011001\n", "logout2019011001\r\n",
        "LOGIN alice :correct horse", "ADVERTISE 40123 \(String(repeating: "ab", count: 32))", "QUERY bob",
        "WATCH bob carol", "UNWATCH bob", "LOGOUT", "PING :x y",
        "OK LOGIN alice registered", "ERR auth :wrong password", "USER bob online 10.0.0.1 40123 \(String(repeating: "cd", count: 32))",
        "USER bob offline", "PRESENCE 2017011000 online 127.0.0.1 - -", "PONG 7", "BYE replaced",
        "lol", "loo", "n", "127.0.0.1", "Incorrect No.", "Please send the correct message.",
    ]

    static let validEnvelope = #"{"Type":"Msg","Source":"alice","Target":"bob","Time":"2026-11-27T10:00:00.250Z","Id":"m-1","Data":"hi","FileSize":3,"GROUPNAME":"g"}"#

    static let groupAnnouncement = #"{"Type":"GROUP","Source":"a","Target":"b","Time":"2026-01-01T00:00:00Z","Id":"1","GROUPNAME":"t","GroupId":"\#(String(repeating: "0f", count: 16))","GroupOp":"announce","GroupVersion":2,"GroupOwner":"a","Members":[{"Id":"a","Fingerprint":"\#(String(repeating: "ab", count: 32))"},{"Id":"b","Fingerprint":"\#(String(repeating: "cd", count: 32))"}]}"#

    /// The same announcement, signed (the signature's bytes are not checked here, only their shape).
    static let signedGroupAnnouncement = String(groupAnnouncement.dropLast())
        + #","GroupSigner":"a","GroupSignerKey":"\#(String(repeating: "QUJD", count: 30))","GroupSig":"\#(String(repeating: "QUJD", count: 21))QQ=="}"#

    private func inputs(seed: UInt64, samples: [[UInt8]], maxCount: Int = 64) -> [[UInt8]] {
        var random = SeededGenerator(seed: seed)
        return (0..<Self.iterations).map { index in
            index.isMultiple(of: 2) ? random.bytes(maxCount: maxCount) : random.mutate(samples.randomElement(using: &random)!)
        }
    }

    @Test("line parsers: no crash, and whatever parses renders and parses back")
    func lineParsers() throws {
        for (index, bytes) in inputs(seed: 1, samples: Self.validLines.map { Array($0.utf8) }).enumerated() {
            let text = String(decoding: bytes, as: UTF8.self)
            if let request = LegacyRequest(parsing: text) {
                #expect(LegacyRequest(parsing: request.rendered) == request, "input \(index): \(bytes)")
                for candidate in [request.rendered, text] {
                    _ = LegacyReply(parsing: candidate, answering: request)
                }
            }
            for request in [LegacyRequest.login(id: "2017011000", password: "x"), .query(id: "2017011000"), .logout(id: "2017011000")] {
                if let reply = LegacyReply(parsing: text, answering: request) {
                    #expect(LegacyReply(parsing: reply.rendered, answering: request) == reply, "input \(index): \(bytes)")
                }
            }
            if let line = LocatorLine(parsing: text) {
                #expect(LocatorLine(parsing: line.rendered) == line, "input \(index): \(bytes)")
            }
            if case .success(let request) = LocatorRequest.parse(text) {
                #expect(try LocatorRequest.parse(request.rendered).get() == request, "input \(index): \(bytes)")
            }
            if let reply = LocatorReply(parsing: text) {
                #expect(LocatorReply(parsing: reply.rendered) == reply, "input \(index): \(bytes)")
            }
            _ = IPv4Text.isValid(text)
            _ = UserName.isValid(text)
            _ = PeerAddress.isFingerprint(text)
        }
    }

    @Test("envelopes: no crash, and whatever decodes is valid and survives re-encoding")
    func envelopes() throws {
        let samples = [
            Array(Self.validEnvelope.utf8),
            Array(#"{"Type":"Ack","Source":"b","Target":"a","Time":"2026-01-01T00:00:00Z","Id":"1","Data":"m-1"}"#.utf8),
            Array(Self.groupAnnouncement.utf8),
            Array(Self.signedGroupAnnouncement.utf8),
            Array(#"{"Type":"Edit","Source":"a","Target":"b","Time":"2026-01-01T00:00:00Z","Id":"e","Data":"new","Ref":"m-1"}"#.utf8),
            Array(
                #"{"Type":"Delete","Source":"a","Target":"b","Time":"2026-01-01T00:00:00Z","Id":"d","Ref":"m-1","GroupId":"abababababababababababababababab","GroupSeq":2}"#
                    .utf8),
        ]
        var accepted = 0
        for (index, bytes) in inputs(seed: 2, samples: samples, maxCount: 200).enumerated() {
            guard let envelope = try? Envelope.decode(from: ByteBuffer(bytes: bytes)) else { continue }
            accepted += 1
            #expect(throws: Never.self, "input \(index)") { try envelope.validate() }
            #expect(try Envelope.decode(from: envelope.encoded()) == envelope, "input \(index): \(bytes)")
        }
        // The mutations must sometimes leave a valid envelope, or this test would check nothing.
        #expect(accepted > 0)
    }

    @Test("line decoder: no crash, and the same lines and outcome however the bytes are split")
    func lineDecoder() throws {
        var random = SeededGenerator(seed: 3)
        let samples = Self.validLines.map { Array(($0 + "\n").utf8) }
        for (index, bytes) in inputs(seed: 3, samples: samples).enumerated() {
            let whole = try decodeLines([bytes])
            let pieces = try decodeLines(random.split(bytes))
            #expect(whole == pieces, "input \(index): \(bytes)")
        }
    }

    @Test("course-protocol decoder: no crash on any read, every request within the limit, every byte accounted for")
    func legacyDecoder() throws {
        var random = SeededGenerator(seed: 4)
        var refused = 0
        for (index, bytes) in inputs(seed: 4, samples: Self.validLines.map { Array($0.utf8) }).enumerated() {
            let channel = EmbeddedChannel(handler: ByteToMessageHandler(LegacyChunkDecoder(maxLength: 16)))
            var delivered = 0
            var failed = false
            for piece in random.split(bytes, maxPiece: 24) {
                do {
                    try channel.writeInbound(ByteBuffer(bytes: piece))
                    delivered += piece.count
                } catch {
                    failed = true
                    break
                }
            }
            var requests: [String] = []
            while let request = try channel.readInbound(as: String.self) { requests.append(request) }
            for request in requests {
                // Each byte decodes to at most one scalar (invalid UTF-8 becomes one U+FFFD per bad sequence).
                #expect(request.unicodeScalars.count <= 16 + 2, "input \(index): \(bytes)")
                _ = LegacyRequest(parsing: request)
            }
            if failed {
                refused += 1
            } else {
                // Nothing is lost or held back: every read becomes requests at once.
                #expect(requests.map { $0.unicodeScalars.count }.reduce(0, +) <= delivered)
                #expect(requests.isEmpty == (delivered == 0), "input \(index): \(bytes)")
            }
            _ = try? channel.finish()
        }
        // Some reads must have been over the limit, or the limit was never exercised.
        #expect(refused > 0)
    }

    @Test("peer frame decoder: no crash, and the same frames and outcome however the bytes are split")
    func peerFrameDecoder() throws {
        var random = SeededGenerator(seed: 5)
        let samples: [[UInt8]] = [
            [0, 0, 0, 3, 0, 0x7B, 0x7D], [0, 0, 0, 2, 1, 0xAB], [0, 0, 0, 1, 1] + [0, 0, 0, 4, 1, 1, 2, 3],
            [0, 0, 0, 17] + Array(repeating: 1, count: 17),
        ]
        for (index, bytes) in inputs(seed: 5, samples: samples).enumerated() {
            let whole = try decodeFrames([bytes])
            let pieces = try decodeFrames(random.split(bytes))
            #expect(whole == pieces, "input \(index): \(bytes)")
            var buffer = ByteBuffer(bytes: bytes)
            while let frame = try? PeerFrameDecoder.nextFrame(from: &buffer, maxFrameLength: 16) {
                #expect(frame.payload.readableBytes < 16)
            }
        }
    }

    /// What a decoder produced, and whether it stopped with an error.
    struct Outcome<Item: Equatable>: Equatable {
        var items: [Item] = []
        var failed = false
    }

    private func decodeLines(_ pieces: [[UInt8]]) throws -> Outcome<String> {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(LineFrameDecoder(maxLength: 16)))
        var outcome = Outcome<String>()
        for piece in pieces {
            do { try channel.writeInbound(ByteBuffer(bytes: piece)) } catch { outcome.failed = true; break }
        }
        while let line = try channel.readInbound(as: String.self) { outcome.items.append(line) }
        _ = try? channel.finish()
        return outcome
    }

    private func decodeFrames(_ pieces: [[UInt8]]) throws -> Outcome<PeerFrame> {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(PeerFrameDecoder(maxFrameLength: 16)))
        var outcome = Outcome<PeerFrame>()
        for piece in pieces {
            do { try channel.writeInbound(ByteBuffer(bytes: piece)) } catch { outcome.failed = true; break }
        }
        while let frame = try channel.readInbound(as: PeerFrame.self) { outcome.items.append(frame) }
        _ = try? channel.finish()
        return outcome
    }
}
