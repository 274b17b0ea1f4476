import ChatWire
import CommandLineSupport
import NIOCore

/// The clients of a replica that dies all arrive at another at once: `count` users log in on
/// `doomed` and advertise, the replica is killed (`kill -9`), and each client, the moment its
/// connection ends, logs in on `survivor` and advertises again, as a client without jitter would.
/// Clients that are told `ERR busy` retry after the second it names, as real clients do.
struct ReconnectStorm {
    struct Result {
        /// From the first connection to the last login on the doomed replica.
        var firstLogins: Duration
        /// From `kill -9` to the last client logged in and advertised on the survivor.
        var allBack: Duration
        /// Each client's time from the kill to its advertise answered on the survivor.
        var each: Latencies
        var busyRetries: Int
        /// The survivor's resident memory with the storm's sessions, and before.
        var survivorBytes: (before: Int, with: Int)
    }

    var doomed: LocatorChild
    var survivor: LocatorChild
    var count: Int
    var password: String

    /// What each client reports to the conductor.
    private enum Event {
        case loggedIn
        case back(Duration, busyRetries: Int)
        case failed(String)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func run() async throws -> Result {
        let toDoomed = try ModernSessions(target: HostPort(host: "127.0.0.1", port: doomed.port))
        let toSurvivor = try ModernSessions(target: HostPort(host: "127.0.0.1", port: survivor.port))
        let (events, report) = AsyncStream.makeStream(of: Event.self)
        let killed = Moment()
        let released = Moment()
        let password = password
        return try await withThrowingTaskGroup(of: Void.self) { group in
            let start = ContinuousClock.now
            for index in 0..<count {
                group.addTask {
                    do {
                        try await Self.client(
                            "storm\(index)", password: password, port: 20000 + index, doomed: toDoomed, survivor: toSurvivor,
                            killed: killed, released: released, report: report)
                    } catch {
                        report.yield(.failed("storm\(index): \(error)"))
                    }
                }
            }
            var iterator = events.makeAsyncIterator()
            func next() async throws -> Event {
                switch await iterator.next() {
                case .failed(let why)?: throw Failure(description: why)
                case let event?: return event
                case nil: throw Failure(description: "the clients stopped reporting")
                }
            }
            do {
                for _ in 0..<count { _ = try await next() }
                let firstLogins = ContinuousClock.now - start
                let before = survivor.residentBytes
                await killed.set(.now)
                doomed.kill()
                var each: [Duration] = []
                var busy = 0
                for _ in 0..<count {
                    if case .back(let took, let retries) = try await next() {
                        each.append(took)
                        busy += retries
                    }
                }
                let with = survivor.residentBytes
                await released.set(.now)
                try await group.waitForAll()
                return Result(
                    firstLogins: firstLogins, allBack: each.max() ?? .zero, each: Latencies(each), busyRetries: busy,
                    survivorBytes: (before, with))
            } catch {
                await killed.set(.now)
                await released.set(.now)
                group.cancelAll()
                throw error
            }
        }
    }

    /// One client: logged in on the doomed replica until it dies, then on the survivor at once,
    /// each login again after each `ERR busy`, until `released`.
    private static func client(
        _ user: String, password: String, port: Int, doomed: ModernSessions, survivor: ModernSessions, killed: Moment,
        released: Moment, report: AsyncStream<Event>.Continuation
    ) async throws {
        try await loggedIn(user, password: password, port: port, through: doomed) { lines, _ in
            report.yield(.loggedIn)
            // The end of the connection, by a reset or a close, is the signal.
            do { while try await lines.next() != nil {} } catch {}
        }
        let died = await killed.instant
        try await loggedIn(user, password: password, port: port, through: survivor) { _, retries in
            report.yield(.back(.now - died, busyRetries: retries))
            // Logged in until the benchmark has weighed the replica with every session on it.
            _ = await released.instant
        }
    }

    /// Logs `user` in on a new connection through `sessions`, and runs `whileLoggedIn` on it with
    /// how many times the login was told `ERR busy`. Thousands logging in at once fill the
    /// replica's queue of password checks: a login told so comes back after the second it names,
    /// as real clients do.
    private static func loggedIn(
        _ user: String, password: String, port: Int, through sessions: ModernSessions,
        whileLoggedIn: (inout NIOAsyncChannelInboundStream<String>.AsyncIterator, _ busyRetries: Int) async throws -> Void
    ) async throws {
        var retries = 0
        while true {
            let connection = try await sessions.open()
            let wait: Int? = try await connection.executeThenClose { inbound, outbound in
                var lines = inbound.makeAsyncIterator()
                if let busy = try await logIn(user, password: password, port: port, lines: &lines, outbound: outbound) {
                    return busy
                }
                try await whileLoggedIn(&lines, retries)
                return nil
            }
            guard let wait else { return }
            retries += 1
            try await Task.sleep(for: .seconds(wait) + .milliseconds(Int.random(in: 0..<500)))
        }
    }

    /// `LOGIN` and `ADVERTISE`; `nil` when both are answered OK, or the seconds an `ERR busy` says
    /// to wait.
    private static func logIn(
        _ user: String, password: String, port: Int, lines: inout NIOAsyncChannelInboundStream<String>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<String>
    ) async throws -> Int? {
        try await outbound.write(LocatorRequest.login(user: user, password: password).rendered)
        switch try await lines.next().flatMap(LocatorReply.init(parsing:)) {
        case .ok?: break
        case .error(let error)? where error.code == .busy: return 1
        default: throw ModernSessions.Failure.loginRefused(user)
        }
        try await outbound.write(LocatorRequest.advertise(port: port, fingerprint: PresenceLatency.key).rendered)
        guard case .ok? = try await lines.next().flatMap(LocatorReply.init(parsing:)) else {
            throw ModernSessions.Failure.loginRefused(user)
        }
        return nil
    }
}
