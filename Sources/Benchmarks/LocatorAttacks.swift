import ChatWire
import CommandLineSupport
import Foundation
import NIOCore
import Synchronization

/// The attacks of `p2pchat bench attacks`, each against the same locator (a process of its own,
/// `locatorProcess`), each printing its figures.
struct LocatorAttacks: Sendable {
    let target: HostPort
    let locatorProcess: Int32
    let duration: Duration
    private let sessions: ModernSessions
    private let clock = ContinuousClock()

    init(target: HostPort, locatorProcess: Int32, duration: Duration) throws {
        self.target = target
        self.locatorProcess = locatorProcess
        self.duration = duration
        self.sessions = try ModernSessions(target: target)
    }

    private var residentBytes: Int { LocatorChild.residentBytes(ofProcess: locatorProcess) }

    private static let mebibyte = Double(1 << 20)

    // MARK: Clients that never read

    /// A course client flooding `q<id>` and a TLS client flooding `PING`, neither reading, while an
    /// honest course client queries.
    func nonReadingClients() async throws {
        let honestID = "2017011000"
        let end = clock.now + duration
        let before = residentBytes
        let chunk = Array(String(repeating: "q\(honestID)\n", count: 680).utf8)
        let target = target
        // The flooder lives on its thread: its connection closes when the flood ends.
        async let courseSent = onThread { () throws -> Int in
            try CourseFlooder(target: target, from: "127.0.0.2").flood(chunk, until: end)
        }
        async let tlsSent = floodPings(from: "127.0.0.4", until: end)
        async let honest = LocatorLoad(target: target, connections: 1, duration: duration).run()
        var peak = before
        while clock.now < end {
            peak = max(peak, residentBytes)
            try await Task.sleep(for: .milliseconds(100))
        }
        let (course, tls, queries) = try await (courseSent, tlsSent, honest)
        try await Task.sleep(for: .milliseconds(2500))  // the sweep closes and trims at least once a second
        let after = residentBytes
        say("clients that never read (a course client flooding q<id>, a TLS client flooding PING)")
        say(String(format: "  locator memory    before %.1f MiB, peak %.1f MiB, 2.5 s after they stopped %.1f MiB",
                   Double(before) / Self.mebibyte, Double(peak) / Self.mebibyte, Double(after) / Self.mebibyte))
        say(String(format: "  taken in          course %.1f MiB, TLS %.1f MiB of requests, before the locator stopped reading them",
                   Double(course) / Self.mebibyte, Double(tls) / Self.mebibyte))
        say("  honest q<id>      \(queries.latencies.count) answered (\(queries.errors) errors), p50 \(queries.latencies.percentile(0.5).formattedMilliseconds), max \(queries.latencies.percentile(1).formattedMilliseconds)")
    }

    private func floodPings(from source: String, until end: ContinuousClock.Instant) async throws -> Int {
        let session = try await sessions.open(from: source)
        let channel = session.channel
        return try await session.executeThenClose { inbound, outbound in
            var replies = inbound.makeAsyncIterator()
            try await outbound.write(LocatorRequest.ping(token: nil).rendered)
            _ = try await replies.next()
            try await channel.setOption(.autoRead, value: false)
            // The line encoder ends the chunk with the last PING's newline.
            let chunk = String(repeating: "PING\n", count: 1599) + "PING"
            // Only what has gone out counts: bytes the locator's side of the connection took in.
            let sent = ByteCount()
            let bytes = chunk.utf8.count + 1
            while clock.now < end, channel.isActive {
                guard channel.isWritable else {
                    try await Task.sleep(for: .milliseconds(10))
                    continue
                }
                channel.writeAndFlush(chunk).whenSuccess { sent.add(bytes) }
            }
            if !channel.isActive { say("  (the locator closed the TLS flooder's connection)") }
            return sent.value
        }
    }

    /// Bytes counted from any thread.
    private final class ByteCount: Sendable {
        private let count = Atomic(0)
        var value: Int { count.load(ordering: .relaxed) }
        func add(_ bytes: Int) { count.add(bytes, ordering: .relaxed) }
    }

    // MARK: Registration flood

    /// 50 addresses registering new names as fast as they get answers, while an honest user logs in again and again.
    func registrationFlood() async throws {
        _ = try await timedLogin("honest", password: "honest-pw", from: "127.0.0.2")
        var baseline: [Duration] = []
        for _ in 0..<10 { baseline.append(try await timedLogin("honest", password: "honest-pw", from: "127.0.0.2").latency) }
        let end = clock.now + duration
        async let flood = withThrowingTaskGroup(of: (registered: Int, refused: Int).self) { group in
            for address in 0..<50 {
                group.addTask {
                    var tally = (registered: 0, refused: 0)
                    var attempt = 0
                    while clock.now < end {
                        attempt += 1
                        let reply = try await timedLogin("flood\(address)x\(attempt)", password: "pw", from: "127.0.1.\(10 + address)").reply
                        if case .ok = reply { tally.registered += 1 } else { tally.refused += 1 }
                    }
                    return tally
                }
            }
            return try await group.reduce(into: (registered: 0, refused: 0)) { $0.registered += $1.registered; $0.refused += $1.refused }
        }
        var during: [Duration] = []
        var failed = 0
        while clock.now < end {
            let login = try await timedLogin("honest", password: "honest-pw", from: "127.0.0.2")
            during.append(login.latency)
            if case .ok = login.reply {} else { failed += 1 }
            try await Task.sleep(for: .milliseconds(100))
        }
        let tally = try await flood
        let quiet = Latencies(baseline)
        let attacked = Latencies(during)
        say("registration flood from 50 addresses (--registration-rate 20 each, --registration-rate-total 120)")
        say("  honest LOGIN      alone p50 \(quiet.percentile(0.5).formattedMilliseconds), max \(quiet.percentile(1).formattedMilliseconds); during the flood \(attacked.count) logins (\(failed) refused), p50 \(attacked.percentile(0.5).formattedMilliseconds), max \(attacked.percentile(1).formattedMilliseconds) (goal: p50 ≤ 500 ms, max ≤ 2000 ms)")
        say(String(format: "  new accounts      %d of %d attempts, %.0f a minute (ceiling 120 a minute, plus the burst of 120)",
                   tally.registered, tally.registered + tally.refused, Double(tally.registered) / duration.inSeconds * 60))
    }

    // MARK: Password guessing

    /// 16 connections of one address guessing the honest user's password.
    func passwordGuessing() async throws {
        let end = clock.now + duration
        let tally = try await withThrowingTaskGroup(of: (checked: Int, barred: Int).self) { group in
            for connection in 0..<16 {
                group.addTask {
                    let session = try await sessions.open(from: "127.0.0.3")
                    return try await session.executeThenClose { inbound, outbound in
                        var replies = inbound.makeAsyncIterator()
                        var tally = (checked: 0, barred: 0)
                        var guess = 0
                        while clock.now < end {
                            guess += 1
                            try await outbound.write(LocatorRequest.login(user: "honest", password: "guess-\(connection)-\(guess)").rendered)
                            guard let line = try await replies.next(), case .error(let error)? = LocatorReply(parsing: line) else { break }
                            if error.code == .busy { tally.barred += 1 } else { tally.checked += 1 }
                        }
                        return tally
                    }
                }
            }
            return try await group.reduce(into: (checked: 0, barred: 0)) { $0.checked += $1.checked; $0.barred += $1.barred }
        }
        let owner = try await timedLogin("honest", password: "honest-pw", from: "127.0.0.2")
        let minutes = duration.inSeconds / 60
        say("password guessing: 16 connections of one address, one account")
        say(String(format: "  guesses           %.0f a minute checked (ERR auth), %.0f a minute refused unchecked (ERR busy :retry in N s)",
                   Double(tally.checked) / minutes, Double(tally.barred) / minutes))
        let outcome = if case .ok = owner.reply { "logged in" } else { "refused: \(owner.reply.map { "\($0)" } ?? "no reply")" }
        say("  the owner, from another address: \(outcome) in \(owner.latency.formattedMilliseconds)")
    }

    // MARK: Helpers

    /// One LOGIN on a fresh TLS session: its reply, and the time from request to reply.
    private func timedLogin(_ user: String, password: String, from source: String) async throws -> (latency: Duration, reply: LocatorReply?) {
        let session = try await sessions.open(from: source)
        return try await session.executeThenClose { inbound, outbound in
            var replies = inbound.makeAsyncIterator()
            let sent = clock.now
            try await outbound.write(LocatorRequest.login(user: user, password: password).rendered)
            let reply = try await replies.next().flatMap(LocatorReply.init(parsing:))
            return (clock.now - sent, reply)
        }
    }

    private func onThread<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Swift.Result { try body() }) }.start()
        }
    }
}

extension Duration {
    var formattedMilliseconds: String {
        String(format: "%.0f ms", inSeconds * 1e3)
    }
}
