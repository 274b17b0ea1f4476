import ChatWire
import NIOCore
import NIOEmbedded
import Testing

@Suite("LegacyChunkDecoder")
struct LegacyChunkDecoderTests {
    private func makeChannel(maxLength: Int = Limits.maxLineLength) -> EmbeddedChannel {
        EmbeddedChannel(handler: ByteToMessageHandler(LegacyChunkDecoder(maxLength: maxLength)))
    }

    private func readAll(_ channel: EmbeddedChannel) throws -> [String] {
        var requests: [String] = []
        while let request = try channel.readInbound(as: String.self) { requests.append(request) }
        return requests
    }

    @Test("what one send() carried, without terminator, is one request")
    func unterminatedRead() throws {
        let channel = makeChannel()
        try channel.writeInbound(ByteBuffer(string: "q2019011001"))
        #expect(try readAll(channel) == ["q2019011001"])
        try channel.writeInbound(ByteBuffer(string: "logout2019011001"))
        #expect(try readAll(channel) == ["logout2019011001"])
        #expect(try channel.finish().isClean)
    }

    @Test("each \\n-terminated line of a read is one request, the terminator kept for the parser")
    func linesInOneRead() throws {
        let channel = makeChannel()
        try channel.writeInbound(ByteBuffer(string: "q2019011001\nq2019011002\r\nq2019011003"))
        #expect(try readAll(channel) == ["q2019011001\n", "q2019011002\r\n", "q2019011003"])
    }

    @Test("requests decode to the same LegacyRequest with or without the terminators")
    func parsesWithTerminators() throws {
        let channel = makeChannel()
        try channel.writeInbound(ByteBuffer(string: "2017011000_net2019\nq2017011000\r\nlogout2017011000"))
        let requests = try readAll(channel).map { LegacyRequest(parsing: $0) }
        #expect(
            requests == [
                .login(id: "2017011000", password: "net2019"), .query(id: "2017011000"), .logout(id: "2017011000"),
            ])
    }

    @Test("a request of exactly the limit passes, also with \\r\\n")
    func atTheLimit() throws {
        let channel = makeChannel(maxLength: 8)
        try channel.writeInbound(ByteBuffer(string: "12345678"))
        try channel.writeInbound(ByteBuffer(string: "12345678\r\n"))
        #expect(try readAll(channel) == ["12345678", "12345678\r\n"])
    }

    @Test("a read over the limit without newline is an error")
    func overTheLimit() throws {
        let channel = makeChannel(maxLength: 8)
        let error = #expect(throws: LineTooLongError.self) {
            try channel.writeInbound(ByteBuffer(string: String(repeating: "9", count: 11)))
        }
        #expect(error?.limit == 8)
        #expect(try channel.readInbound(as: String.self) == nil)
    }

    @Test("a line over the limit after good lines in the same read: the good ones first, then the error")
    func overTheLimitAfterGoodLines() throws {
        let channel = makeChannel(maxLength: 8)
        let error = #expect(throws: LineTooLongError.self) {
            try channel.writeInbound(ByteBuffer(string: "q1\nq2\n1234567890\n"))
        }
        #expect(error?.limit == 8)
        #expect(try readAll(channel) == ["q1\n", "q2\n"])
    }

    @Test("a lone newline is a request of its own (the server answers it as malformed)")
    func loneNewline() throws {
        let channel = makeChannel()
        try channel.writeInbound(ByteBuffer(string: "\n"))
        let request = try #require(try channel.readInbound(as: String.self))
        #expect(request == "\n")
        #expect(LegacyRequest(parsing: request) == nil)
    }
}
