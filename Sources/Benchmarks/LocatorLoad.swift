import ChatWire
import CommandLineSupport
import NIOCore
import NIOPosix

/// A course-protocol load generator: `connections` clients, each sending one query at a time.
struct LocatorLoad {
    struct Result {
        var latencies: Latencies
        var errors: Int
        var elapsed: Duration
    }

    var target: HostPort
    var connections: Int
    var duration: Duration
    /// Whether each client logs in first; not against the C server, which answers `n` to anything.
    var logsIn = true

    func run() async throws -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + duration
        var latencies: [Duration] = []
        var errors = 0
        try await withThrowingTaskGroup(of: ([Duration], Int).self) { group in
            for index in 0..<connections {
                group.addTask { try await oneClient(index: index, until: deadline) }
            }
            for try await (clientLatencies, clientErrors) in group {
                latencies += clientLatencies
                errors += clientErrors
            }
        }
        return Result(latencies: Latencies(latencies), errors: errors, elapsed: clock.now - start)
    }

    private func oneClient(index: Int, until deadline: ContinuousClock.Instant) async throws -> ([Duration], Int) {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: target.host, port: target.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let id = String(2_000_000_000 + index)
        var latencies: [Duration] = []
        var errors = 0
        let clock = ContinuousClock()
        try await channel.executeThenClose { inbound, outbound in
            var replies = inbound.makeAsyncIterator()
            // One request in flight at a time, as course clients do, so each read is one reply.
            func ask(_ request: LegacyRequest) async throws -> String? {
                try await outbound.write(ByteBuffer(string: request.rendered))
                return try await replies.next().map { String(buffer: $0) }
            }
            if logsIn {
                guard try await ask(.login(id: id, password: "net2019")) == "lol" else { throw LoadError.loginRefused }
            }
            while clock.now < deadline {
                let sent = clock.now
                let reply = try await ask(.query(id: id))
                latencies.append(clock.now - sent)
                if reply.flatMap({ LegacyReply(parsing: $0, answering: .query(id: id)) }) == nil { errors += 1 }
            }
            if logsIn { _ = try await ask(.logout(id: id)) }
        }
        return (latencies, errors)
    }

    enum LoadError: Error, CustomStringConvertible {
        case loginRefused
        var description: String { "the locator refused the course-protocol login (is the legacy password net2019?)" }
    }
}
