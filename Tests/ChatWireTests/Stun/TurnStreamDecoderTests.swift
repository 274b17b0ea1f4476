import ChatWire
import NIOCore
import NIOEmbedded
import Testing

@Suite("TurnStreamDecoder")
struct TurnStreamDecoderTests {
    private func frames(from pieces: [[UInt8]]) throws -> [TurnStreamFrame] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(TurnStreamDecoder()))
        for piece in pieces { try channel.writeInbound(ByteBuffer(bytes: piece)) }
        var frames: [TurnStreamFrame] = []
        while let frame = try channel.readInbound(as: TurnStreamFrame.self) { frames.append(frame) }
        return frames
    }

    @Test("STUN messages and padded ChannelData interleaved on TCP come out whole, however the bytes are cut")
    func interleaved() throws {
        let message = StunMessage(type: StunMessageType(.refresh, .successResponse), attributes: [.lifetime(600)])
        let channelData = TurnChannelData(channel: 0x4000, data: Array("hello".utf8))!
        let stream = message.encoded(fingerprint: true) + channelData.encoded(padded: true) + StunVectors.ipv4Response
        let expected = try [
            TurnStreamFrame.message(StunMessage.parse(message.encoded(fingerprint: true))),
            .channelData(channelData),
            .message(StunMessage.parse(StunVectors.ipv4Response)),
        ]
        #expect(try frames(from: [stream]) == expected)
        #expect(try frames(from: stream.map { [$0] }) == expected)
        #expect(channelData.encoded(padded: true).count == 12)
        #expect(channelData.encoded(padded: false).count == 9)
    }

    @Test("bytes that are neither STUN nor ChannelData end the stream with an error")
    func garbage() {
        #expect(throws: StunError.notStun) { try frames(from: [[0x80, 0x01, 0x00, 0x00]]) }
        #expect(throws: StunError.notStun) { try frames(from: [[0xC0, 0x00, 0x00, 0x00]]) }
        #expect(throws: StunError.unalignedLength(2)) { try frames(from: [[0x00, 0x01, 0x00, 0x02]]) }
        #expect(throws: StunError.invalidChannelNumber(0x5000)) { try frames(from: [[0x50, 0x00, 0x00, 0x01, 0x61, 0, 0, 0]]) }
    }

    @Test("ChannelData in a datagram: a short one is refused, padding after the data is allowed")
    func datagram() throws {
        #expect(throws: StunError.lengthMismatch(declared: 8, actual: 3)) { try TurnChannelData.parse([0x40, 0x01, 0x00, 0x08, 1, 2, 3]) }
        #expect(try TurnChannelData.parse([0x40, 0x01, 0x00, 0x02, 1, 2, 0, 0]).data == [1, 2])
        #expect(TurnChannelData(channel: 0x3FFF, data: []) == nil)
    }
}
