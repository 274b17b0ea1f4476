import ChatIdentity
import ChatWire
import Locator
import NIOCore
import Testing
import TestSupport

/// What a hostile or broken client can do to the locator: none of it may take the server down.
@Suite("LocatorServer: hostile input", .timeLimit(.minutes(1)))
struct LocatorServerHostileInputTests {
    /// The server still answers a fresh course-protocol query.
    private func stillAnswers(_ locator: TestLocator) async throws -> Bool {
        try await LegacyCourseClient.ask("q2017011000", port: locator.port) == "n"
    }

    @Test("course protocol: a request over 4 KiB is answered as malformed, then the connection is closed")
    func legacyLineTooLong() async throws {
        try await withTestLocator { locator throws in
            let client = try await LegacyCourseClient.connect(port: locator.port)
            defer { client.close() }
            try await client.send(String(repeating: "q", count: Limits.maxLineLength + 1000))
            let reply = try await client.receive()
            #expect(reply == "Please send the correct message.")
            let more = try await client.receive()
            #expect(more == nil, "the connection is still open")
            #expect(try await stillAnswers(locator))
        }
    }

    @Test("course protocol: a request of exactly 4 KiB is still answered, and the connection stays")
    func legacyLineAtLimit() async throws {
        try await withTestLocator { locator throws in
            let client = try await LegacyCourseClient.connect(port: locator.port)
            defer { client.close() }
            let reply = try await client.request(String(repeating: "q", count: Limits.maxLineLength))
            #expect(reply == "Please send the correct message.")
            let next = try await client.request("q2017011000")
            #expect(next == "n")
        }
    }

    @Test("modern protocol: a line over 4 KiB gets 'ERR line-too-long', then the connection is closed")
    func modernLineTooLong() async throws {
        try await withTestLocator { locator throws in
            let client = try await ModernLocatorClient.connect(to: locator)
            _ = try await client.login("alice", password: "a")
            client.send(line: "PING :" + String(repeating: "x", count: Limits.maxLineLength + 1000))
            let line = try #require(try await client.nextReplyLine())
            guard case .error(let error)? = LocatorReply(parsing: line) else {
                Issue.record("answered '\(line.prefix(100))'")
                return
            }
            #expect(error.code == .lineTooLong)
            #expect(try await client.nextReplyLine() == nil)
            #expect(try await stillAnswers(locator))
        }
    }

    @Test("a connection that sends nothing is closed after the first-byte timeout")
    func silentConnection() async throws {
        try await withTestLocator(configure: { $0.firstByteTimeout = .milliseconds(300) }) { locator throws in
            let connecting = ContinuousClock.now
            let client = try await LegacyCourseClient.connect(port: locator.port)
            defer { client.close() }
            // The client's receive timeout is 5 s: only the server's timeout can close it sooner.
            #expect(try await client.readUntilClosed().isEmpty)
            let waited = ContinuousClock.now - connecting
            #expect(waited >= .milliseconds(250), "closed before the first-byte timeout")
            #expect(waited < .seconds(5))
            #expect(try await stillAnswers(locator))
        }
    }

    @Test("a client that stops in the middle of its TLS handshake is closed after the first-byte timeout")
    func stalledHandshake() async throws {
        try await withTestLocator(configure: { $0.firstByteTimeout = .milliseconds(300) }) { locator throws in
            let connecting = ContinuousClock.now
            let client = try await LegacyCourseClient.connect(port: locator.port)
            defer { client.close() }
            // The start of a ClientHello, and then nothing.
            try await client.send(bytes: [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03])
            #expect(try await client.readUntilClosed().isEmpty)
            let waited = ContinuousClock.now - connecting
            #expect(waited >= .milliseconds(250), "closed before the timeout")
            #expect(waited < .seconds(5), "held open until the client's own receive timeout")
            #expect(try await stillAnswers(locator))
        }
    }

    @Test("at the per-address connection cap a newcomer is served and the connection idle longest is closed")
    func connectionCap() async throws {
        try await withTestLocator(configure: { $0.maxConnectionsPerAddress = 3 }) { locator throws in
            var open: [LegacyCourseClient] = []
            for _ in 0..<3 {
                let client = try await LegacyCourseClient.connect(port: locator.port)
                #expect(try await client.request("q2017011000") == "n")
                open.append(client)
            }
            // The last two ask again: the first is now the one idle longest.
            for client in open.dropFirst() { #expect(try await client.request("q2017011000") == "n") }
            let newcomer = try await LegacyCourseClient.connect(port: locator.port)
            defer { newcomer.close() }
            #expect(try await newcomer.request("q2017011000") == "n")
            #expect(try await open[0].readUntilClosed().isEmpty, "the idlest connection was not closed")
            for client in open.dropFirst() { #expect(try await client.request("q2017011000") == "n") }
            for client in open { client.close() }
        }
    }

    @Test("binary garbage on either dialect does not take the server down")
    func binaryGarbage() async throws {
        try await withTestLocator { locator throws in
            var random = SystemRandomNumberGenerator()
            for round in 0..<40 {
                var bytes = (0..<Int.random(in: 1...600, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                let client = try await LegacyCourseClient.connect(port: locator.port)
                defer { client.close() }
                if round.isMultiple(of: 2) {
                    // Looks like the start of a TLS handshake: the server waits for the rest, or refuses it.
                    bytes[0] = 0x16
                    try? await client.send(bytes: bytes)
                } else {
                    // Course protocol: every request gets an answer, garbage included.
                    if bytes[0] == 0x16 { bytes[0] = 0 }
                    try await client.send(bytes: bytes)
                    let reply = try #require(try await client.receive(), "no answer to \(bytes)")
                    #expect(reply.hasPrefix("Please send the correct message.") || reply.hasPrefix("Incorrect No.") || reply.hasPrefix("n"))
                }
            }
            #expect(try await stillAnswers(locator))
        }
    }

    @Test("TLS garbage after a TLS record header is refused by closing the connection")
    func tlsGarbage() async throws {
        try await withTestLocator { locator throws in
            let client = try await LegacyCourseClient.connect(port: locator.port)
            defer { client.close() }
            try await client.send(bytes: [0x16, 0x03, 0x01, 0x00, 0x10] + Array(repeating: 0xEE, count: 16))
            _ = try await client.readUntilClosed()
            #expect(try await stillAnswers(locator))
        }
    }

    @Test("clients that vanish mid-request (half a handshake, half a line, before the reply) do not take the server down")
    func vanishingClients() async throws {
        try await withTestLocator { locator throws in
            // Half a TLS ClientHello.
            let halfHandshake = try await LegacyCourseClient.connect(port: locator.port)
            try await halfHandshake.send(bytes: [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03])
            halfHandshake.close()
            // Half a course request.
            let halfLine = try await LegacyCourseClient.connect(port: locator.port)
            try await halfLine.send("q20170")
            halfLine.close()
            // A whole request, gone before the reply.
            let impatient = try await LegacyCourseClient.connect(port: locator.port)
            try await impatient.send("2017011000_net2019")
            impatient.close()
            // Half a modern line, over TLS.
            let modern = try await ModernLocatorClient.connect(to: locator)
            #expect(try await modern.request(.ping(token: nil)) == .pong(token: nil))
            modern.send(raw: ByteBuffer(string: "LOGIN alice :sec"))
            await modern.close()
            // A modern client gone while a watch push is due.
            let watcher = try await ModernLocatorClient.connect(to: locator)
            _ = try await watcher.login("bob", password: "b")
            watcher.send(line: "WATCH alice carol dave")
            await watcher.close()

            #expect(try await LegacyCourseClient.ask("q2019011001", port: locator.port) == "n")
            let fresh = try await ModernLocatorClient.connect(to: locator)
            #expect(try await fresh.login("alice", password: "a") == .ok(verb: "LOGIN", details: ["alice", "registered"]))
            await fresh.close()
        }
    }
}
