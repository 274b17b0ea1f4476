import Foundation

/// Two friends in `bench paths` whose connection takes one path through the namespaces: `first`
/// is started again for each timed login, `second` stays.
final class PathPair {
    /// The path their connection settles on: `lan`, `direct`, `punched` or `relayed`.
    let path: String
    let firstName: String
    let secondName: String
    private(set) var first: BenchClient
    let second: BenchClient
    private let start: () throws -> BenchClient

    /// Starts both in their namespaces, logs them in, makes them friends and has each send the
    /// other a message, so that the connection between them is known to work.
    init(
        path: String, first: (name: String, namespace: String), second: (name: String, namespace: String),
        lab: PathsLab, autoAccept: Int64, options: [String]
    ) async throws {
        self.path = path
        firstName = first.name
        secondName = second.name
        start = { try lab.client(first.name, in: first.namespace, autoAccept: autoAccept, options: options) }
        self.second = try lab.client(second.name, in: second.namespace, autoAccept: autoAccept, options: options)
        self.first = try start()
        try await Self.login(self.second, as: second.name)
        try await Self.login(self.first, as: first.name)
        try await Self.befriend(self.first, first.name, self.second, second.name)
        try await Self.message(from: self.first, to: second.name, "hello from \(first.name)")
        try await Self.message(from: self.second, to: first.name, "hello from \(second.name)")
    }

    /// One timed login: `first` quits and starts again, and once it answers, logs in, waits
    /// until `second` is online and sends a message. The time from the `/login` line to the message's `sent delivered`,
    /// and, when `untilPunched`, to `path_changed … punched`.
    func firstMessage(try number: Int, untilPunched: Bool) async throws -> (delivered: Duration, punched: Duration?) {
        first.quit()
        first = try start()
        // Timed from when the new process answers a command: its start-up is not the login's.
        first.send("/status")
        try await first.wait(for: "status", timeout: .seconds(60))
        let begun = ContinuousClock.now
        first.send("/login \(firstName) \(Self.password)")
        first.send("/wait presence id=\(secondName) timeout=60")
        first.send("/msg \(secondName) first message \(number)")
        let sent = try await first.wait(for: "sent", ["to": secondName], after: 0, timeout: .seconds(90))
        guard sent.fields["delivery"] as? String == "delivered" else {
            throw BenchClient.Failure(description: "\(path): try \(number)'s message was not delivered within 5 s but queued")
        }
        guard untilPunched else { return (sent.arrived - begun, nil) }
        let punched = try await first.wait(for: "path_changed", ["id": secondName, "path": "punched"], after: 0, timeout: .seconds(90))
        return (sent.arrived - begun, punched.arrived - begun)
    }

    /// Bytes per second of `/file` from `first` to `second`: from the command to the receiver's
    /// `file_received`, whose SHA-256 must be the sender's. The received copy is deleted.
    func sendFile(_ source: URL, bytes: Int64) async throws -> Double {
        let (sending, receiving) = (first.mark, second.mark)
        let begun = ContinuousClock.now
        first.send("/file \(secondName) \(source.path)")
        let received = try await second.wait(for: "file_received", ["peer": firstName], after: receiving, timeout: .seconds(3600))
        let sent = try await first.wait(for: "file_sent", ["peer": secondName], after: sending, timeout: .seconds(60))
        if let path = received.fields["path"] as? String { try? FileManager.default.removeItem(atPath: path) }
        guard let hash = received.fields["sha256"] as? String, hash == sent.fields["sha256"] as? String else {
            throw BenchClient.Failure(description: "\(path): the received file does not match what was sent")
        }
        return Double(bytes) / (received.arrived - begun).inSeconds
    }

    /// A call from `first` to `second` for `seconds`: its media path, and the media round trip the
    /// caller's `/call` reports once a second (whole milliseconds: the ping a media session
    /// sends and its pong, over the call's UDP path).
    func callRoundTrips(seconds: Int) async throws -> (path: String, milliseconds: [Int]) {
        let (calling, answering) = (first.mark, second.mark)
        second.send("/wait call_incoming from=\(firstName) timeout=60")
        second.send("/answer \(firstName)")
        first.send("/call \(secondName)")
        let started = try await first.wait(for: "call_started", ["peer": secondName], after: calling, timeout: .seconds(60))
        var next = started.next
        var samples: [Int] = []
        for _ in 0..<seconds {
            first.send("/sleep 1")
            first.send("/call")
            let stats = try await first.wait(for: "call_stats", ["peer": secondName], after: next, timeout: .seconds(30))
            next = stats.next
            if let milliseconds = stats.fields["rtt_ms"] as? Int { samples.append(milliseconds) }
        }
        first.send("/hangup")
        _ = try await first.wait(for: "call_ended", after: next, timeout: .seconds(30))
        _ = try await second.wait(for: "call_ended", after: answering, timeout: .seconds(30))
        return (started.fields["path"] as? String ?? "?", samples)
    }

    func quit() {
        first.quit()
        second.quit()
    }

    // MARK: Shared steps

    /// Every benchmark user's password (each registers on its first login).
    static let password = "benchmark"

    /// Logs `client` in and waits until its candidates are published (its relay allocated): until
    /// then a friend behind a symmetric NAT has no way to reach it.
    static func login(_ client: BenchClient, as user: String) async throws {
        client.send("/login \(user) \(password)")
        try await client.wait(for: "logged_in", timeout: .seconds(60))
        try await client.waitForLog("published candidates", timeout: .seconds(60))
    }

    /// `asker` asks `asked` to be friends, `asked` accepts, both see it.
    static func befriend(_ asker: BenchClient, _ askerName: String, _ asked: BenchClient, _ askedName: String) async throws {
        asker.send("/add \(askedName)")
        try await asked.wait(for: "friend_request", ["from": askerName], timeout: .seconds(60))
        asked.send("/accept \(askerName)")
        try await asked.wait(for: "friend_added", ["id": askerName], timeout: .seconds(60))
        try await asker.wait(for: "friend_added", ["id": askedName], timeout: .seconds(60))
    }

    /// `sender` sends `text` to `peer`, who must ack it.
    static func message(from sender: BenchClient, to peer: String, _ text: String) async throws {
        let mark = sender.mark
        sender.send("/msg \(peer) \(text)")
        let sent = try await sender.wait(for: "sent", ["to": peer], after: mark, timeout: .seconds(90))
        guard sent.fields["delivery"] as? String == "delivered" else {
            throw BenchClient.Failure(description: "\(sender.name)'s message to \(peer) was queued, not delivered")
        }
    }
}
