import ChatWire
import CommandLineSupport
import NIOCore

/// Modern logins per second: `count` users register (their first login), then log in again,
/// `concurrency` at a time, each on a new TLS session. Both are scrypt's work (N = 2^15 by
/// default), on the locator's hashing workers.
struct LoginRate {
    struct Result {
        var registrationsPerSecond: Double
        var loginsPerSecond: Double
    }

    var target: HostPort
    var count: Int
    var concurrency: Int
    var prefix: String

    func run() async throws -> Result {
        let opener = try ModernSessions(target: target)
        let registering = try await timed(opener: opener, expecting: "registered")
        let loggingIn = try await timed(opener: opener, expecting: "welcome")
        return Result(
            registrationsPerSecond: Double(count) / registering.inSeconds, loginsPerSecond: Double(count) / loggingIn.inSeconds)
    }

    private func timed(opener: ModernSessions, expecting outcome: String) async throws -> Duration {
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func addOne() {
                let user = "\(prefix)\(next)"
                next += 1
                group.addTask { try await logIn(user, opener: opener, expecting: outcome) }
            }
            for _ in 0..<min(concurrency, count) { addOne() }
            while try await group.next() != nil {
                if next < count { addOne() }
            }
        }
        return .now - start
    }

    private func logIn(_ user: String, opener: ModernSessions, expecting outcome: String) async throws {
        let session = try await opener.open()
        try await session.executeThenClose { inbound, outbound in
            var replies = inbound.makeAsyncIterator()
            try await outbound.write(LocatorRequest.login(user: user, password: "bench-\(user)").rendered)
            let reply = try await replies.next().flatMap(LocatorReply.init(parsing:))
            guard reply == .ok(verb: "LOGIN", details: [user, outcome]) else { throw ModernSessions.Failure.loginRefused(user) }
        }
    }
}
