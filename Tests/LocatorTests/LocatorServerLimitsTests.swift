import ChatWire
import Foundation
import Locator
import NIOCore
import Testing
import TestSupport

/// The limits that keep one client, or a few hostile ones, from starving the rest: each attack at
/// a small scale, and a normal client still served.
@Suite("LocatorServer: limits under attack", .timeLimit(.minutes(1)))
struct LocatorServerLimitsTests {
    static let alice = "2017011000"

    @Test("at the global connection cap, connections from several addresses make room for a newcomer, idlest first")
    func globalCap() async throws {
        try await withTestLocator(configure: { $0.maxConnections = 6 }) { locator throws in
            var open: [LegacyCourseClient] = []
            for source in ["127.0.0.2", "127.0.0.3", "127.0.0.4"] {
                for _ in 0..<2 {
                    let client = try await LegacyCourseClient.connect(port: locator.port, from: source)
                    #expect(try await client.request("q\(Self.alice)") == "n")
                    open.append(client)
                }
            }
            for client in open.dropFirst() { #expect(try await client.request("q\(Self.alice)") == "n") }
            #expect(try await LegacyCourseClient.ask("q\(Self.alice)", port: locator.port, from: "127.0.0.5") == "n")
            #expect(try await open[0].readUntilClosed().isEmpty, "the idlest connection was not closed")
            #expect(locator.server.connectionCount <= 6)
            for client in open { client.close() }
        }
    }

    @Test("slowloris: malformed bytes dribbled out do not keep a course connection open past the idle timeout")
    func dribbledMalformedRequests() async throws {
        try await withTestLocator(configure: { $0.idleTimeout = .milliseconds(600) }) { locator throws in
            let slow = try await LegacyCourseClient.connect(port: locator.port)
            defer { slow.close() }
            let closed = await eventually(timeout: .seconds(5), every: .milliseconds(100)) {
                // Each byte is a request the course server would answer as malformed; none is well formed.
                guard let reply = try? await slow.request("x") else { return true }
                return reply != "Please send the correct message."
            }
            #expect(closed, "the dribbling connection was never closed")
            #expect(try await LegacyCourseClient.ask("q\(Self.alice)", port: locator.port) == "n", "a normal client was not served")
        }
    }

    @Test("slowloris: dribbling connections filling an address's cap do not lock out a normal client behind it")
    func dribblersAtTheCap() async throws {
        try await withTestLocator(configure: { $0.maxConnectionsPerAddress = 3 }) { locator throws in
            var dribblers: [LegacyCourseClient] = []
            for _ in 0..<3 {
                let client = try await LegacyCourseClient.connect(port: locator.port, from: "127.0.0.7")
                #expect(try await client.request("x") == "Please send the correct message.")
                dribblers.append(client)
            }
            let normal = try await LegacyCourseClient.connect(port: locator.port, from: "127.0.0.7")
            defer { normal.close() }
            #expect(try await normal.request("\(Self.alice)_net2019") == "lol")
            #expect(try await normal.request("q\(Self.alice)") == "127.0.0.7")
            for client in dribblers { client.close() }
        }
    }

    @Test("slowloris over TLS: a request line that does not end within the request timeout closes the connection")
    func modernPartialLine() async throws {
        try await withTestLocator(configure: { $0.firstByteTimeout = .milliseconds(1500) }) { locator throws in
            let slow = try await ModernLocatorClient.connect(to: locator)
            #expect(try await slow.request(.ping(token: nil)) == .pong(token: nil))
            let started = ContinuousClock.now
            for byte in "PING :aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".utf8 {
                slow.send(raw: ByteBuffer(bytes: [byte]))
                try await Task.sleep(for: .milliseconds(100))
                if ContinuousClock.now - started > .seconds(4) { break }
            }
            #expect(try await slow.nextReplyLine() == nil, "the dribbling TLS connection is still open")
            await slow.close()
            #expect(try await LegacyCourseClient.ask("q\(Self.alice)", port: locator.port) == "n")
        }
    }

    @Test("logins waiting longer than the idle timeout for their turn at hashing are answered, not closed as idle")
    func loginsQueuedForHashing() async throws {
        let idleTimeout = Duration.seconds(1)
        let hasher = PasswordHasher(costExponent: 15)
        let oneHash = try ContinuousClock().measure { _ = try hasher.hash("pw") }
        // One hashing worker, and enough registrations at once that the last waits about three
        // idle timeouts for its turn, however fast this machine hashes.
        let count = min(40, Int(idleTimeout * 3 / oneHash) + 2)
        try await withTestLocator(configure: {
            $0.idleTimeout = .seconds(1)
            $0.hashingWorkers = 1
            $0.passwordHashing = hasher
        }) { locator throws in
            let started = ContinuousClock.now
            let replies = try await withThrowingTaskGroup(of: LocatorReply.self) { group in
                for index in 0..<count {
                    group.addTask {
                        let client = try await ModernLocatorClient.connect(to: locator, from: "127.0.2.\(10 + index)")
                        let reply = try await client.request(.login(user: "user\(index)", password: "pw"), timeout: .seconds(60))
                        await client.close()
                        return reply
                    }
                }
                return try await group.reduce(into: [LocatorReply]()) { $0.append($1) }
            }
            let waited = ContinuousClock.now - started
            #expect(waited > idleTimeout, "\(count) registrations took \(waited): too short a queue to outlast the idle timeout")
            #expect(replies.count == count)
            #expect(replies.allSatisfy { if case .ok(verb: "LOGIN", let details) = $0 { details.last == "registered" } else { false } }, "\(replies)")
        }
    }

    @Test("course logins go offline when their time to live runs out")
    func courseTimeToLive() async throws {
        try await withTestLocator(configure: { $0.legacyTimeToLive = .seconds(2) }) { locator throws in
            #expect(try await LegacyCourseClient.ask("\(Self.alice)_net2019", port: locator.port) == "lol")
            #expect(try await LegacyCourseClient.ask("q\(Self.alice)", port: locator.port) == "127.0.0.1")
            #expect(
                try await eventually(timeout: .seconds(15), every: .milliseconds(200)) {
                    try await LegacyCourseClient.ask("q\(Self.alice)", port: locator.port) == "n"
                })
        }
    }

    @Test("course logins are capped in number: the oldest goes offline first")
    func courseLoginCap() async throws {
        try await withTestLocator(configure: { $0.maxLegacyLogins = 3 }) { locator throws in
            let client = try await LegacyCourseClient.connect(port: locator.port)
            defer { client.close() }
            let ids = (0..<5).map { String(2_017_011_000 + $0) }
            for id in ids { #expect(try await client.request("\(id)_net2019") == "lol") }
            // Logging in again makes an id the newest.
            #expect(try await client.request("\(ids[2])_net2019") == "lol")
            #expect(try await client.request("2017011099_net2019") == "lol")
            var online: [String] = []
            for id in ids + ["2017011099"] where try await client.request("q\(id)") == "127.0.0.1" { online.append(id) }
            #expect(online == [ids[2], ids[4], "2017011099"])
        }
    }

    @Test("course logins from one address beyond its rate wait, and a flood is cut off; other addresses are served at once")
    func courseLoginRate() async throws {
        try await withTestLocator(configure: { $0.legacyLoginsPerSecond = 1 }) { locator throws in
            let ids = (0..<6).map { String(2_018_000_000 + $0) }
            let port = locator.port
            let replies = try await withThrowingTaskGroup(of: (String, String?).self) { group in
                for id in ids {
                    group.addTask { (id, try await LegacyCourseClient.ask("\(id)_net2019", port: port, from: "127.0.0.9")) }
                }
                var replies: [String: String?] = [:]
                for try await (id, reply) in group { replies[id] = reply }
                return replies
            }
            let accepted = ids.filter { replies[$0] == "lol" }
            let refused = ids.filter { replies[$0] == .some(nil) }
            #expect(accepted.count + refused.count == ids.count, "unexpected replies: \(replies)")
            #expect(!refused.isEmpty, "six logins at once at one a second: none was cut off")
            #expect(accepted.count >= 2, "the burst of two was not served")
            for id in refused { #expect(try await LegacyCourseClient.ask("q\(id)", port: port) == "n") }
            #expect(try await LegacyCourseClient.ask("\(Self.alice)_net2019", port: port, from: "127.0.0.10") == "lol")
        }
    }

    @Test("registrations from one address beyond the rate get 'ERR busy'; existing accounts still log in")
    func registrationRate() async throws {
        try await withTestLocator(configure: { $0.registrationsPerMinute = 2 }) { locator throws in
            for name in ["alice", "bob"] {
                let client = try await ModernLocatorClient.connect(to: locator)
                #expect(try await client.login(name, password: "pw") == .ok(verb: "LOGIN", details: [name, "registered"]))
                await client.close()
            }
            let third = try await ModernLocatorClient.connect(to: locator)
            guard case .error(let error) = try await third.login("carol", password: "pw") else {
                Issue.record("a third registration within the minute was accepted")
                return
            }
            #expect(error.code == .busy)
            #expect(error.message.contains("too many new accounts"))
            #expect(try await third.login("alice", password: "pw") == .ok(verb: "LOGIN", details: ["alice", "welcome"]))
            await third.close()
        }
    }
}
