import ChatWire
import NIOCore
import NIOPosix

/// Persistent TLS sessions of the modern protocol: each logs in once, then sends `QUERY` and waits
/// for the reply, again and again.
struct ModernLocatorLoad {
    var target: HostPort
    var connections: Int
    var duration: Duration

    func run() async throws -> LocatorLoad.Result {
        let opener = try ModernSessions(target: target)
        let sessions = try await withThrowingTaskGroup(of: NIOAsyncChannel<String, String>.self) { group in
            for _ in 0..<connections {
                group.addTask { try await opener.open() }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + duration
        var latencies: [Duration] = []
        var errors = 0
        try await withThrowingTaskGroup(of: ([Duration], Int).self) { group in
            for (index, session) in sessions.enumerated() {
                group.addTask { try await oneClient(session, index: index, until: deadline) }
            }
            for try await (clientLatencies, clientErrors) in group {
                latencies += clientLatencies
                errors += clientErrors
            }
        }
        return LocatorLoad.Result(latencies: Latencies(latencies), errors: errors, elapsed: clock.now - start)
    }

    private func oneClient(
        _ session: NIOAsyncChannel<String, String>, index: Int, until deadline: ContinuousClock.Instant
    ) async throws -> ([Duration], Int) {
        let user = "bench\(index)"
        var latencies: [Duration] = []
        var errors = 0
        let clock = ContinuousClock()
        try await session.executeThenClose { inbound, outbound in
            var replies = inbound.makeAsyncIterator()
            func ask(_ request: LocatorRequest) async throws -> LocatorReply? {
                try await outbound.write(request.rendered)
                return try await replies.next().flatMap(LocatorReply.init(parsing:))
            }
            guard case .ok? = try await ask(.login(user: user, password: "bench-\(user)")) else {
                throw ModernSessions.Failure.loginRefused(user)
            }
            while clock.now < deadline {
                let sent = clock.now
                let reply = try await ask(.query(user: user))
                latencies.append(clock.now - sent)
                if case .user? = reply {} else { errors += 1 }
            }
        }
        return (latencies, errors)
    }
}
