import ChatWire
import NIOCore
import NIOEmbedded
import Testing

@Suite("LineFrameDecoder")
struct LineFrameDecoderTests {
    private func makeChannel(maxLength: Int = Limits.maxLineLength) -> EmbeddedChannel {
        EmbeddedChannel(handler: ByteToMessageHandler(LineFrameDecoder(maxLength: maxLength)))
    }

    private func readAll(_ channel: EmbeddedChannel) throws -> [String] {
        var lines: [String] = []
        while let line = try channel.readInbound(as: String.self) { lines.append(line) }
        return lines
    }

    @Test("one line, without its newline")
    func singleLine() throws {
        let channel = makeChannel()
        try channel.writeInbound(ByteBuffer(string: "LOGIN alice :secret\n"))
        #expect(try channel.readInbound(as: String.self) == "LOGIN alice :secret")
        #expect(try channel.readInbound(as: String.self) == nil)
        #expect(try channel.finish().isClean)
    }

    @Test("a carriage return before the newline is dropped; one elsewhere is kept")
    func carriageReturn() throws {
        let channel = makeChannel()
        try channel.writeInbound(ByteBuffer(string: "PING a\r\nPING\rb\n\r\n"))
        #expect(try readAll(channel) == ["PING a", "PING\rb", ""])
    }

    @Test("coalesced input: several lines in one read")
    func coalesced() throws {
        let channel = makeChannel()
        try channel.writeInbound(ByteBuffer(string: "one\ntwo\n\nthree\n"))
        #expect(try readAll(channel) == ["one", "two", "", "three"])
    }

    @Test("split input: a line in many reads, a byte at a time")
    func split() throws {
        let channel = makeChannel()
        for byte in "QUERY bob\nPI".utf8 {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
        }
        #expect(try readAll(channel) == ["QUERY bob"])
        try channel.writeInbound(ByteBuffer(string: "NG\n"))
        #expect(try readAll(channel) == ["PING"])
    }

    @Test("UTF-8 split inside a character is reassembled")
    func utf8Split() throws {
        let channel = makeChannel()
        let bytes = Array("PING :héllo wörld\n".utf8)
        try channel.writeInbound(ByteBuffer(bytes: bytes[..<8]))
        try channel.writeInbound(ByteBuffer(bytes: bytes[8...]))
        #expect(try readAll(channel) == ["PING :héllo wörld"])
    }

    @Test("a line of exactly the limit passes, with \\n or \\r\\n")
    func exactlyTheLimit() throws {
        let channel = makeChannel(maxLength: 8)
        try channel.writeInbound(ByteBuffer(string: "12345678\n12345678\r\n"))
        #expect(try readAll(channel) == ["12345678", "12345678"])
    }

    @Test("a line of exactly the limit passes when its \\r\\n arrives split")
    func exactlyTheLimitSplitCRLF() throws {
        // The same bytes as above, delivered as TCP may deliver them: the \r in one read, the \n in the next.
        let channel = makeChannel(maxLength: 8)
        try channel.writeInbound(ByteBuffer(string: "12345678\r"))
        try channel.writeInbound(ByteBuffer(string: "\n"))
        #expect(try readAll(channel) == ["12345678"])
    }

    @Test("a line over the limit is an error before any newline arrives")
    func overTheLimitWithoutNewline() throws {
        let channel = makeChannel(maxLength: 8)
        try channel.writeInbound(ByteBuffer(string: "12345678"))  // at the limit: still waiting
        #expect(try channel.readInbound(as: String.self) == nil)
        // Past the limit and the \r a \r\n terminator may still bring: no newline can save it now.
        let error = #expect(throws: LineTooLongError.self) {
            try channel.writeInbound(ByteBuffer(string: "9X"))
        }
        #expect(error?.limit == 8)
    }

    @Test("a line over the limit is an error also when its newline is in the same read")
    func overTheLimitWithNewline() throws {
        let channel = makeChannel(maxLength: 8)
        let error = #expect(throws: LineTooLongError.self) {
            try channel.writeInbound(ByteBuffer(string: "ok\n123456789\n"))
        }
        #expect(error?.limit == 8)
        #expect(try channel.readInbound(as: String.self) == "ok")
        #expect(try channel.readInbound(as: String.self) == nil)
    }

    @Test("a 9-byte line ending in \\r\\n is over an 8-byte limit")
    func overTheLimitWithCRLF() throws {
        let channel = makeChannel(maxLength: 8)
        let error = #expect(throws: LineTooLongError.self) {
            try channel.writeInbound(ByteBuffer(string: "123456789\r\n"))
        }
        #expect(error?.limit == 8)
    }

    @Test("the default limit is 4 KiB")
    func defaultLimit() throws {
        let channel = makeChannel()
        let atLimit = String(repeating: "a", count: Limits.maxLineLength)
        try channel.writeInbound(ByteBuffer(string: atLimit + "\n"))
        #expect(try channel.readInbound(as: String.self) == atLimit)
        let error = #expect(throws: LineTooLongError.self) {
            try channel.writeInbound(ByteBuffer(string: atLimit + "ab"))
        }
        #expect(error?.limit == Limits.maxLineLength)
        #expect(error?.description == "line longer than 4096 bytes")
    }

    @Test("a slow trickle without newline still hits the limit")
    func trickle() throws {
        let channel = makeChannel(maxLength: 100)
        for _ in 0..<100 { try channel.writeInbound(ByteBuffer(string: "a")) }
        let error = #expect(throws: LineTooLongError.self) {
            for _ in 0..<2 { try channel.writeInbound(ByteBuffer(string: "a")) }
        }
        #expect(error?.limit == 100)
    }

    @Test("a newline after a trickle is found (the scan resumes where it stopped)")
    func trickleThenNewline() throws {
        let channel = makeChannel()
        for byte in "abc".utf8 { try channel.writeInbound(ByteBuffer(bytes: [byte])) }
        try channel.writeInbound(ByteBuffer(string: "\nde\nf"))
        #expect(try readAll(channel) == ["abc", "de"])
        try channel.writeInbound(ByteBuffer(string: "g\n"))
        #expect(try readAll(channel) == ["fg"])
    }

    @Test("a final line without its newline is not delivered at end of input")
    func unterminatedAtEOF() throws {
        let channel = makeChannel()
        try channel.writeInbound(ByteBuffer(string: "done\nhalf a li"))
        #expect(try channel.readInbound(as: String.self) == "done")
        _ = try? channel.finish()
        #expect(try channel.readInbound(as: String.self) == nil)
    }

    @Test("invalid UTF-8 becomes replacement characters, not a crash or a lost line")
    func invalidUTF8() throws {
        let channel = makeChannel()
        try channel.writeInbound(ByteBuffer(bytes: [0x50, 0xFF, 0xC3, 0x0A]))
        #expect(try channel.readInbound(as: String.self) == "P\u{FFFD}\u{FFFD}")
    }
}

extension EmbeddedChannel.LeftOverState {
    var isClean: Bool {
        if case .clean = self { return true }
        return false
    }
}
