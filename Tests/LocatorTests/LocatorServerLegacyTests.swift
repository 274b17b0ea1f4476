import ChatWire
import Foundation
import Locator
import Testing
import TestSupport

/// The course protocol, byte for byte, as the course's clients used it.
@Suite("LocatorServer: course protocol", .timeLimit(.minutes(1)))
struct LocatorServerLegacyTests {
    static let alice = "2017011000"
    static let bob = "2019011001"
    static let stranger = "2099999999"
    static let malformed = "Please send the correct message."

    @Test("a course client: blocking socket, one send() without newline, one recv(1024), exact bytes")
    func courseClientExactBytes() async throws {
        try await withTestLocator(configure: { $0.roster = [Self.alice, Self.bob] }) { locator throws in
            let client = try await LegacyCourseClient.connect(port: locator.port)
            defer { client.close() }
            func exchange(_ request: String) async throws -> [UInt8] {
                try await client.send(request)
                return try #require(try await client.receiveBytes(), "closed after '\(request)'")
            }
            #expect(try await exchange("\(Self.alice)_net2019") == Array("lol".utf8))
            #expect(try await exchange("q\(Self.alice)") == Array("127.0.0.1".utf8))
            #expect(try await exchange("q\(Self.bob)") == Array("n".utf8))
            #expect(try await exchange("q\(Self.stranger)") == Array("Incorrect No.".utf8))
            #expect(try await exchange("hello") == Array(Self.malformed.utf8))
            #expect(try await exchange("logout\(Self.alice)") == Array("loo".utf8))
            #expect(try await exchange("q\(Self.alice)") == Array("n".utf8))
        }
    }

    @Test("one connection for many requests, with any terminator", arguments: ["", "\n", "\r\n"])
    func persistentConnection(terminator: String) async throws {
        try await withTestLocator { locator throws in
            let client = try await LegacyCourseClient.connect(port: locator.port)
            defer { client.close() }
            #expect(try await client.request("\(Self.alice)_net2019" + terminator) == "lol")
            #expect(try await client.request("q\(Self.alice)" + terminator) == "127.0.0.1")
            #expect(try await client.request("q\(Self.bob)" + terminator) == "n")
            #expect(try await client.request("logout\(Self.alice)" + terminator) == "loo")
            #expect(try await client.request("q\(Self.alice)" + terminator) == "n")
        }
    }

    @Test("one connection per request, with any terminator", arguments: ["", "\n", "\r\n"])
    func connectionPerRequest(terminator: String) async throws {
        try await withTestLocator { locator throws in
            let port = locator.port
            #expect(try await LegacyCourseClient.ask("\(Self.bob)_net2019" + terminator, port: port) == "lol")
            #expect(try await LegacyCourseClient.ask("q\(Self.bob)" + terminator, port: port) == "127.0.0.1")
            #expect(try await LegacyCourseClient.ask("q\(Self.alice)" + terminator, port: port) == "n")
            #expect(try await LegacyCourseClient.ask("logout\(Self.bob)" + terminator, port: port) == "loo")
            #expect(try await LegacyCourseClient.ask("q\(Self.bob)" + terminator, port: port) == "n")
        }
    }

    @Test("a client that shuts its sending side down after the request still gets the reply")
    func halfClosedClient() async throws {
        try await withTestLocator { locator throws in
            let client = try await LegacyCourseClient.connect(port: locator.port)
            defer { client.close() }
            try await client.send("\(Self.alice)_net2019")
            client.finishSending()
            #expect(try await client.readUntilClosed() == Array("lol".utf8))
        }
    }

    @Test("several newline-separated requests in one send() are each answered, in order")
    func pipelinedLines() async throws {
        try await withTestLocator { locator throws in
            let client = try await LegacyCourseClient.connect(port: locator.port)
            defer { client.close() }
            #expect(try await client.request("\(Self.alice)_net2019") == "lol")
            try await client.send("q\(Self.alice)\nq\(Self.bob)\nlogout\(Self.alice)\n")
            let expected = "127.0.0.1" + "n" + "loo"
            var received = ""
            while received.utf8.count < expected.utf8.count, let more = try await client.receive() { received += more }
            #expect(received == expected)
        }
    }

    @Test("a legacy login stays online after its connection closes, until logout")
    func loginOutlivesConnection() async throws {
        try await withTestLocator { locator throws in
            let port = locator.port
            let session = try await LegacyCourseClient.connect(port: port)
            #expect(try await session.request("\(Self.alice)_net2019") == "lol")
            session.close()
            // Nothing can be polled for here ("still online" is the absence of a change): wait out
            // the presence grace, the only timer that could take a user offline.
            try await Task.sleep(for: locator.configuration.presenceGrace * 2)
            #expect(try await LegacyCourseClient.ask("q\(Self.alice)", port: port) == "127.0.0.1")
            #expect(try await LegacyCourseClient.ask("logout\(Self.alice)", port: port) == "loo")
            #expect(try await LegacyCourseClient.ask("q\(Self.alice)", port: port) == "n")
        }
    }

    @Test("the roster: an id not on it is 'Incorrect No.' for every request; ids on it work")
    func roster() async throws {
        try await withTestLocator(configure: { $0.roster = [Self.alice] }) { locator throws in
            let client = try await LegacyCourseClient.connect(port: locator.port)
            defer { client.close() }
            for request in ["\(Self.bob)_net2019", "q\(Self.bob)", "logout\(Self.bob)", "\(Self.bob)_wrong"] {
                #expect(try await client.request(request) == "Incorrect No.", "\(request)")
            }
            #expect(try await client.request("\(Self.alice)_net2019") == "lol")
            // A malformed request is malformed whatever the roster says.
            #expect(try await client.request("q123") == Self.malformed)
        }
    }

    @Test("the wrong shared password is not a correct message, and does not log in")
    func wrongPassword() async throws {
        try await withTestLocator(configure: { $0.legacyPassword = "net2024" }) { locator throws in
            let client = try await LegacyCourseClient.connect(port: locator.port)
            defer { client.close() }
            #expect(try await client.request("\(Self.alice)_net2019") == Self.malformed)
            #expect(try await client.request("q\(Self.alice)") == "n")
            #expect(try await client.request("\(Self.alice)_net2024") == "lol")
            #expect(try await client.request("q\(Self.alice)") == "127.0.0.1")
        }
    }

    static let malformedRequests = [
        "hello", "q", "q201701100", "q20170110001", "Q2017011000", " q2017011000", "q2017011000 ", "2017011000_",
        "_net2019", "201701100_net2019", "logout", "logout20170110", "\u{1}\u{2}\u{3}", "ümlaut",
    ]

    @Test("malformed requests get 'Please send the correct message.' and the connection goes on", arguments: malformedRequests)
    func malformedRequest(request: String) async throws {
        try await withTestLocator { locator throws in
            let client = try await LegacyCourseClient.connect(port: locator.port)
            defer { client.close() }
            #expect(try await client.request(request) == Self.malformed)
            #expect(try await client.request("q\(Self.alice)") == "n")
        }
    }

    @Test("a course client sees a modern user's bare IPv4 address; a modern client sees the course user")
    func mixedDialects() async throws {
        try await withTestLocator { locator throws in
            let modern = try await ModernLocatorClient.connect(to: locator)
            _ = try await modern.login("carol", password: "pw")
            let fingerprint = String(repeating: "ab", count: 32)
            #expect(try await modern.request(.advertise(port: 40123, fingerprint: fingerprint)) == .ok(verb: "ADVERTISE", details: []))
            #expect(try await LegacyCourseClient.ask("\(Self.alice)_net2019", port: locator.port) == "lol")

            let query = try await modern.request(.query(user: Self.alice))
            #expect(query == .user(Self.alice, PeerAddress(host: "127.0.0.1", port: nil, fingerprint: nil)))
            await modern.close()
        }
    }

    @Test("a course logout does not end a modern session's presence under the same id")
    func legacyLogoutLeavesModernPresence() async throws {
        try await withTestLocator { locator throws in
            let modern = try await ModernLocatorClient.connect(to: locator)
            _ = try await modern.login(Self.bob, password: "pw")
            let fingerprint = String(repeating: "cd", count: 32)
            _ = try await modern.request(.advertise(port: 40000, fingerprint: fingerprint))
            #expect(try await LegacyCourseClient.ask("q\(Self.bob)", port: locator.port) == "127.0.0.1")
            #expect(try await LegacyCourseClient.ask("logout\(Self.bob)", port: locator.port) == "loo")
            let query = try await modern.request(.query(user: Self.bob))
            #expect(query == .user(Self.bob, PeerAddress(host: "127.0.0.1", port: 40000, fingerprint: fingerprint)))
            await modern.close()
        }
    }
}
