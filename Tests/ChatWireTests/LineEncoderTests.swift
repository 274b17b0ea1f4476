import ChatWire
import NIOCore
import NIOEmbedded
import Testing

@Suite("LineEncoder")
struct LineEncoderTests {
    @Test("each string leaves as one \\n-terminated line")
    func encodes() throws {
        let channel = EmbeddedChannel(handler: MessageToByteHandler(LineEncoder()))
        try channel.writeOutbound("OK LOGIN alice registered")
        try channel.writeOutbound("")
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "OK LOGIN alice registered\n"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "\n"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
    }

    @Test("what the encoder writes, the line decoder reads back")
    func roundTrip() throws {
        let channel = EmbeddedChannel(handlers: [
            MessageToByteHandler(LineEncoder()), ByteToMessageHandler(LineFrameDecoder()),
        ])
        let lines = ["LOGIN alice :correct horse", "PING", "QUERY bob", "ERR auth :wrong password for alice"]
        for line in lines { try channel.writeOutbound(line) }
        while let bytes = try channel.readOutbound(as: ByteBuffer.self) { try channel.writeInbound(bytes) }
        var decoded: [String] = []
        while let line = try channel.readInbound(as: String.self) { decoded.append(line) }
        #expect(decoded == lines)
    }
}
