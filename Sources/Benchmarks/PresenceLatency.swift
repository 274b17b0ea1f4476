import ChatWire
import CommandLineSupport
import NIOCore

/// The time from a login on one replica to the `PRESENCE` line on a watcher of another: a user
/// logs in on `origin` and advertises; the clock runs from the `ADVERTISE` (the moment the user
/// comes online) to the watcher's line. Then the user logs out, and the watcher hears that too
/// before the next sample.
struct PresenceLatency {
    var origin: HostPort
    var watching: HostPort
    var samples: Int

    func run() async throws -> Latencies {
        let users = (0..<samples).map { "presence\($0)" }
        let watcher = try await ModernSessions(target: watching).open()
        let opener = try ModernSessions(target: origin)
        return try await watcher.executeThenClose { inbound, outbound in
            var lines = inbound.makeAsyncIterator()
            func reply() async throws -> LocatorReply {
                guard let line = try await lines.next(), let reply = LocatorReply(parsing: line) else {
                    throw ModernSessions.Failure.closed("the watcher's replica")
                }
                return reply
            }
            try await outbound.write(LocatorRequest.login(user: "presence-watcher", password: "bench").rendered)
            _ = try await reply()
            try await outbound.write(LocatorRequest.watch(users: users).rendered)
            // The answer and one PRESENCE for each user, offline, in some order.
            for _ in 0...users.count { _ = try await reply() }
            var latencies: [Duration] = []
            for (index, user) in users.enumerated() {
                let session = try await opener.open()
                try await session.executeThenClose { inbound, outbound in
                    var replies = inbound.makeAsyncIterator()
                    try await outbound.write(LocatorRequest.login(user: user, password: "bench").rendered)
                    guard case .ok? = try await replies.next().flatMap(LocatorReply.init(parsing:)) else {
                        throw ModernSessions.Failure.loginRefused(user)
                    }
                    let sent = ContinuousClock.now
                    try await outbound.write(LocatorRequest.advertise(port: 30000 + index, fingerprint: Self.key).rendered)
                    while true {
                        if case .presence(user, .some(_)) = try await reply() { break }
                    }
                    latencies.append(.now - sent)
                    try await outbound.write(LocatorRequest.logout.rendered)
                    while true {
                        if case .presence(user, nil) = try await reply() { break }
                    }
                }
            }
            return Latencies(latencies)
        }
    }

    static let key = String(repeating: "d4", count: 32)
}
