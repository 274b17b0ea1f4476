import ChatWire
import Foundation
import Locator
import Testing
import TestSupport

/// `TOKEN` and `RESUME` as a client sees them: a token logs in once instead of the password, and
/// a token that is forged, another user's, spent, expired or revoked by a logout is refused with
/// `ERR auth`, after which the password still works. Across replicas (kill -9) in
/// `LocatorReplicaFaultTests`.
@Suite("LocatorServer: resumption tokens", .timeLimit(.minutes(1)))
struct LocatorResumeTokenTests {
    /// A token for `user`, logged in on a connection of its own to `locator`.
    static func token(for user: String, at locator: TestLocator) async throws -> (ResumeToken, ModernLocatorClient) {
        let client = try await ModernLocatorClient.connect(to: locator)
        _ = try await client.login(user, password: "correct horse")
        let reply = try await client.request(.token)
        guard case .ok("TOKEN", let details) = reply, details.count == 2 else {
            Issue.record("not OK TOKEN: \(reply)")
            throw CancellationError()
        }
        let token = try #require(ResumeToken(text: details[0]))
        #expect(details[1] == String(locator.configuration.resumeTokenLifetime.components.seconds))
        return (token, client)
    }

    static func resume(_ user: String, with token: ResumeToken, at locator: TestLocator) async throws -> LocatorReply {
        let client = try await ModernLocatorClient.connect(to: locator)
        let reply = try await client.request(.resume(user: user, token: token))
        await client.close()
        return reply
    }

    static func isRefused(_ reply: LocatorReply) -> Bool {
        reply.error?.code == .auth
    }

    @Test("a token logs its user in once, on a new connection, and the session works as after LOGIN")
    func resumesOnce() async throws {
        try await withTestLocator { locator in
            let (token, first) = try await Self.token(for: "alice", at: locator)
            await first.close()
            let client = try await ModernLocatorClient.connect(to: locator)
            #expect(try await client.request(.resume(user: "alice", token: token)) == .ok(verb: "RESUME", details: ["alice", "welcome"]))
            #expect(try await client.request(.advertise(port: 40100, fingerprint: String(repeating: "ab", count: 32))) == .ok(verb: "ADVERTISE", details: []))
            #expect(try await client.request(.query(user: "alice")) != .user("alice", nil))
            await client.close()
            #expect(Self.isRefused(try await Self.resume("alice", with: token, at: locator)), "spent")
        }
    }

    @Test("forged, another user's and revoked-by-logout tokens are refused with ERR auth; the password still works")
    func refusals() async throws {
        try await withTestLocator { locator in
            let (token, alice) = try await Self.token(for: "alice", at: locator)
            let (_, bob) = try await Self.token(for: "bob", at: locator)
            await bob.close()
            #expect(Self.isRefused(try await Self.resume("alice", with: ResumeToken.random(), at: locator)), "forged")
            #expect(Self.isRefused(try await Self.resume("bob", with: token, at: locator)), "another user's")

            #expect(try await alice.request(.logout) == .ok(verb: "LOGOUT", details: []))
            await alice.close()
            #expect(Self.isRefused(try await Self.resume("alice", with: token, at: locator)), "revoked by the logout")

            let again = try await ModernLocatorClient.connect(to: locator)
            #expect(try await again.login("alice", password: "correct horse") == .ok(verb: "LOGIN", details: ["alice", "welcome"]))
            await again.close()
        }
    }

    @Test("an expired token is refused")
    func expired() async throws {
        try await withTestLocator(configure: { $0.resumeTokenLifetime = .zero }) { locator in
            let (token, alice) = try await Self.token(for: "alice", at: locator)
            #expect(Self.isRefused(try await Self.resume("alice", with: token, at: locator)))
            await alice.close()
        }
    }

    @Test("TOKEN needs a login and comes at most once per 10 s on a connection; RESUME on a logged-in connection is refused")
    func misuse() async throws {
        try await withTestLocator { locator in
            let client = try await ModernLocatorClient.connect(to: locator)
            let early = try await client.request(.token)
            #expect(early.error?.code == .notLoggedIn, "\(early)")
            _ = try await client.login("alice", password: "correct horse")
            guard case .ok(_, let details) = try await client.request(.token), let token = ResumeToken(text: details[0]) else {
                Issue.record("no token")
                return
            }
            let second = try await client.request(.token)
            #expect(second.error?.code == .busy, "\(second)")
            let resumed = try await client.request(.resume(user: "alice", token: token))
            #expect(resumed.error?.code == .alreadyLoggedIn, "\(resumed)")
            await client.close()
        }
    }
}
