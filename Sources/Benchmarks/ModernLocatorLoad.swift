import ChatWire
import CommandLineSupport
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
        let line = StartLine(clients: connections, duration: duration)
        var latencies: [Duration] = []
        var errors = 0
        try await withThrowingTaskGroup(of: ([Duration], Int).self) { group in
            for index in 0..<connections {
                group.addTask { try await oneClient(index: index, opener: opener, line: line) }
            }
            for try await (clientLatencies, clientErrors) in group {
                latencies += clientLatencies
                errors += clientErrors
            }
        }
        let start = await line.start ?? .now
        return LocatorLoad.Result(latencies: Latencies(latencies), errors: errors, elapsed: .now - start)
    }

    private func oneClient(index: Int, opener: ModernSessions, line: StartLine) async throws -> ([Duration], Int) {
        let user = "bench\(index)"
        await line.turnToLogIn()
        let session: NIOAsyncChannel<String, String>
        do {
            session = try await opener.open()
        } catch {
            await line.loggedIn()
            await line.gaveUp()
            throw error
        }
        var latencies: [Duration] = []
        var errors = 0
        let clock = ContinuousClock()
        try await session.executeThenClose { inbound, outbound in
            var replies = inbound.makeAsyncIterator()
            func ask(_ request: LocatorRequest) async throws -> LocatorReply? {
                try await outbound.write(request.rendered)
                return try await replies.next().flatMap(LocatorReply.init(parsing:))
            }
            let login = try? await ask(.login(user: user, password: "bench-\(user)"))
            await line.loggedIn()
            guard case .ok? = login else {
                await line.gaveUp()
                throw ModernSessions.Failure.loginRefused(user)
            }
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
