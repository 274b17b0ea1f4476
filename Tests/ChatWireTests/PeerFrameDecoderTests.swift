import ChatWire
import NIOCore
import NIOEmbedded
import Testing

@Suite("PeerFrameDecoder")
struct PeerFrameDecoderTests {
    private func makeChannel(maxFrameLength: Int = Limits.maxFrameLength) -> EmbeddedChannel {
        EmbeddedChannel(handler: ByteToMessageHandler(PeerFrameDecoder(maxFrameLength: maxFrameLength)))
    }

    private func readAll(_ channel: EmbeddedChannel) throws -> [PeerFrame] {
        var frames: [PeerFrame] = []
        while let frame = try channel.readInbound(as: PeerFrame.self) { frames.append(frame) }
        return frames
    }

    /// `u32 length | kind | payload`, written by hand so the decoder is not checked against the encoder alone.
    private func frameBytes(kind: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let length = UInt32(1 + payload.count)
        return [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), kind]
            + payload
    }

    @Test("a kind-0 frame is a JSON envelope, a kind-1 frame a file chunk")
    func kinds() throws {
        let channel = makeChannel()
        try channel.writeInbound(ByteBuffer(bytes: frameBytes(kind: 0, Array(#"{"Type":"Msg"}"#.utf8))))
        try channel.writeInbound(ByteBuffer(bytes: frameBytes(kind: 1, [0, 1, 2, 255])))
        let frames = try readAll(channel)
        #expect(frames == [.envelope(ByteBuffer(string: #"{"Type":"Msg"}"#)), .chunk(ByteBuffer(bytes: [0, 1, 2, 255]))])
        #expect(frames.map(\.kind) == [.envelope, .chunk])
        #expect(try channel.finish().isClean)
    }

    @Test("a frame with an empty payload (length 1: just the kind byte)")
    func emptyPayload() throws {
        let channel = makeChannel()
        try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 1, 1]))
        #expect(try readAll(channel) == [.chunk(ByteBuffer())])
    }

    @Test("split input: a frame a byte at a time comes out once, whole")
    func split() throws {
        let channel = makeChannel()
        let bytes = frameBytes(kind: 1, Array(0..<200))
        for byte in bytes.dropLast() {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
            #expect(try channel.readInbound(as: PeerFrame.self) == nil)
        }
        try channel.writeInbound(ByteBuffer(bytes: [bytes.last!]))
        #expect(try readAll(channel) == [.chunk(ByteBuffer(bytes: Array(0..<200)))])
    }

    @Test("coalesced input: several frames and the start of another in one read")
    func coalesced() throws {
        let channel = makeChannel()
        let third = frameBytes(kind: 0, Array("{}".utf8))
        try channel.writeInbound(
            ByteBuffer(bytes: frameBytes(kind: 0, Array("a".utf8)) + frameBytes(kind: 1, [9]) + third.prefix(3)))
        #expect(try readAll(channel) == [.envelope(ByteBuffer(string: "a")), .chunk(ByteBuffer(bytes: [9]))])
        try channel.writeInbound(ByteBuffer(bytes: third.dropFirst(3)))
        #expect(try readAll(channel) == [.envelope(ByteBuffer(string: "{}"))])
    }

    @Test("a frame of exactly the limit is accepted")
    func atTheLimit() throws {
        let channel = makeChannel(maxFrameLength: 16)
        try channel.writeInbound(ByteBuffer(bytes: frameBytes(kind: 1, Array(repeating: 7, count: 15))))
        #expect(try readAll(channel) == [.chunk(ByteBuffer(bytes: Array(repeating: 7, count: 15)))])
    }

    @Test("an oversized length is refused from the 4-byte header alone, before any payload arrives")
    func oversizedHeader() throws {
        let channel = makeChannel(maxFrameLength: 16)
        #expect(throws: PeerFrameError.tooLarge(length: 17, limit: 16)) {
            try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 17]))
        }
    }

    @Test("the default limit is 1 MiB, and a hostile 4 GiB header is refused at once")
    func defaultLimit() throws {
        let channel = makeChannel()
        #expect(throws: PeerFrameError.tooLarge(length: Int(UInt32.max), limit: 1 << 20)) {
            try channel.writeInbound(ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF]))
        }
        let justOver = makeChannel()
        #expect(throws: PeerFrameError.tooLarge(length: (1 << 20) + 1, limit: 1 << 20)) {
            try justOver.writeInbound(ByteBuffer(bytes: [0x00, 0x10, 0x00, 0x01]))
        }
    }

    @Test("a frame at the 1 MiB limit arrives in pieces and comes out whole")
    func largeFrameInPieces() throws {
        let channel = makeChannel()
        let payload = (0..<(Limits.maxFrameLength - 1)).map { UInt8(truncatingIfNeeded: $0) }
        let bytes = frameBytes(kind: 1, payload)
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + 65536)
            try channel.writeInbound(ByteBuffer(bytes: bytes[offset..<end]))
            offset = end
        }
        let frames = try readAll(channel)
        #expect(frames.count == 1)
        #expect(frames.first?.payload == ByteBuffer(bytes: payload))
    }

    @Test("a length of zero (no kind byte) is an error")
    func emptyFrame() throws {
        let channel = makeChannel()
        #expect(throws: PeerFrameError.empty) {
            try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 0]))
        }
    }

    @Test("an unknown kind is an error as soon as the kind byte is in", arguments: [UInt8(2), 0x7F, 0xFF])
    func unknownKind(kind: UInt8) throws {
        let channel = makeChannel()
        let bytes = frameBytes(kind: kind, [1, 2, 3])
        try channel.writeInbound(ByteBuffer(bytes: bytes.prefix(4)))
        #expect(throws: PeerFrameError.unknownKind(kind)) {
            try channel.writeInbound(ByteBuffer(bytes: bytes[4...]))
        }
    }

    @Test("errors describe themselves for the log")
    func descriptions() {
        #expect(PeerFrameError.tooLarge(length: 5, limit: 4).description == "peer frame of 5 bytes is over the 4-byte limit")
        #expect(PeerFrameError.empty.description.contains("kind"))
        #expect(PeerFrameError.unknownKind(9).description.contains("9"))
    }

    @Test("nextFrame consumes one whole frame or nothing")
    func nextFrameConsumesWholeOrNothing() throws {
        var buffer = ByteBuffer(bytes: frameBytes(kind: 0, [1, 2]) + [0, 0, 0, 5, 1])
        let first = try PeerFrameDecoder.nextFrame(from: &buffer, maxFrameLength: 16)
        #expect(first == .envelope(ByteBuffer(bytes: [1, 2])))
        let before = buffer.readerIndex
        #expect(try PeerFrameDecoder.nextFrame(from: &buffer, maxFrameLength: 16) == nil)
        #expect(buffer.readerIndex == before)
        #expect(buffer.readableBytes == 5)
    }
}
