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
        let line = StartLine(clients: sessions.count, duration: duration)
        var latencies: [Duration] = []
        var errors = 0
        try await withThrowingTaskGroup(of: ([Duration], Int).self) { group in
            for (index, session) in sessions.enumerated() {
                group.addTask { try await oneClient(session, index: index, line: line) }
            }
            for try await (clientLatencies, clientErrors) in group {
                latencies += clientLatencies
                errors += clientErrors
            }
        }
        let start = await line.start ?? .now
        return LocatorLoad.Result(latencies: Latencies(latencies), errors: errors, elapsed: .now - start)
    }

    private func oneClient(
        _ session: NIOAsyncChannel<String, String>, index: Int, line: StartLine
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
            await line.turnToLogIn()
            let login = try await ask(.login(user: user, password: "bench-\(user)"))
            await line.loggedIn()
            guard case .ok? = login else { throw ModernSessions.Failure.loginRefused(user) }
            let deadline = await line.readyToGo()
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
