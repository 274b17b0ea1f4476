import ChatWire
import NIOCore
import NIOEmbedded
import Testing

@Suite("PeerFrameEncoder")
struct PeerFrameEncoderTests {
    @Test("writes u32 big-endian length (kind + payload), the kind byte, then the payload")
    func layout() throws {
        let channel = EmbeddedChannel(handler: PeerFrameEncoder())
        try channel.writeOutbound(PeerFrame.envelope(ByteBuffer(string: "{}")))
        try channel.writeOutbound(PeerFrame.chunk(ByteBuffer(bytes: [0xAB])))
        try channel.writeOutbound(PeerFrame.chunk(ByteBuffer()))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(bytes: [0, 0, 0, 3, 0, 0x7B, 0x7D]))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(bytes: [0, 0, 0, 2, 1, 0xAB]))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(bytes: [0, 0, 0, 1, 1]))
    }

    @Test("what the encoder writes, the decoder reads back")
    func roundTrip() throws {
        let channel = EmbeddedChannel(handlers: [
            PeerFrameEncoder(), ByteToMessageHandler(PeerFrameDecoder()),
        ])
        let frames: [PeerFrame] = [
            .envelope(ByteBuffer(string: #"{"Type":"Msg","Data":"hi"}"#)),
            .chunk(ByteBuffer(bytes: Array(repeating: 0xEE, count: 70_000))),
            .chunk(ByteBuffer()),
        ]
        for frame in frames { try channel.writeOutbound(frame) }
        var wire = ByteBuffer()
        while var bytes = try channel.readOutbound(as: ByteBuffer.self) { wire.writeBuffer(&bytes) }
        try channel.writeInbound(wire)
        var decoded: [PeerFrame] = []
        while let frame = try channel.readInbound(as: PeerFrame.self) { decoded.append(frame) }
        #expect(decoded == frames)
    }

    @Test("a large payload goes out as it is, after its header, not copied behind it")
    func largePayloadUncopied() throws {
        let channel = EmbeddedChannel(handler: PeerFrameEncoder())
        let payload = ByteBuffer(repeating: 0x5A, count: PeerFrameEncoder.separatePayloadSize)
        try channel.writeOutbound(PeerFrame.chunk(payload))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(bytes: [0, 0, 0x40, 0x01, 1]))
        let sent = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(sent == payload)
        sent.withUnsafeReadableBytes { sentBytes in
            payload.withUnsafeReadableBytes { #expect(sentBytes.baseAddress == $0.baseAddress) }
        }
    }

    @Test("the static writer leaves the frame's payload untouched")
    func payloadUntouched() {
        let frame = PeerFrame.chunk(ByteBuffer(bytes: [1, 2, 3]))
        var out = ByteBuffer()
        PeerFrameEncoder.write(frame, into: &out)
        PeerFrameEncoder.write(frame, into: &out)
        #expect(out == ByteBuffer(bytes: [0, 0, 0, 4, 1, 1, 2, 3, 0, 0, 0, 4, 1, 1, 2, 3]))
    }
}
