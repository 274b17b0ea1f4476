import ChatIdentity
import ChatWire
import Foundation
import Locator
import Logging
import NIOCore
import Synchronization
import Testing
import TestSupport

/// Wrong passwords and refused registrations, repeated by one address, are summarized: one line
/// per reason and address per interval, with a count, instead of one line each.
@Suite("LocatorServer: repeated notices are summarized", .timeLimit(.minutes(1)))
struct LocatorServerLogFloodTests {
    @Test("40 wrong passwords and 10 refused registrations from one address log a few lines with counts, not 50")
    func repeatedNoticesAreCounted() async throws {
        let lines = LogLines()
        let logger = Logger(label: "locator") { _ in CapturingLogHandler(lines: lines) }
        let directory = try TemporaryDirectory(prefix: "p2pchat-log-flood")
        defer { directory.remove() }
        var configuration = TestLocator.configuration(in: directory.url)
        configuration.loginFailuresPerAccount = 1000
        configuration.loginFailuresPerAddress = 1000
        configuration.registrationsPerMinute = 1
        configuration.noticeSummaryInterval = .seconds(1)
        let server = try await LocatorServer.bind(configuration: configuration, logger: logger)
        let running = Task { try await server.run() }
        defer { running.cancel() }
        let pin = PinPolicy.expect(server.fingerprint)
        let port = server.localAddress.port ?? 0

        let owner = try await ModernLocatorClient.connect(port: port, pin: pin, from: "127.0.0.2")
        #expect(try await owner.login("alice", password: "pw") == .ok(verb: "LOGIN", details: ["alice", "registered"]))
        await owner.close()
        let attacker = try await ModernLocatorClient.connect(port: port, pin: pin, from: "127.0.0.3")
        for guess in 0..<40 {
            guard case .error(let error) = try await attacker.login("alice", password: "guess-\(guess)") else { continue }
            #expect(error.code == .auth)
        }
        #expect(try await attacker.login("bob", password: "pw") == .ok(verb: "LOGIN", details: ["bob", "registered"]))
        await attacker.close()
        for index in 0..<10 {
            let client = try await ModernLocatorClient.connect(port: port, pin: pin, from: "127.0.0.3")
            guard case .error(let error) = try await client.login("carol\(index)", password: "pw") else {
                Issue.record("registration \(index) beyond the address's rate was accepted")
                continue
            }
            #expect(error.code == .busy)
            await client.close()
        }

        // Wait for the summaries: every repeat counted once, in one line per reason and interval.
        func repeats(_ reason: (String) -> Bool) -> Int {
            lines.all.filter { reason($0.message) && $0.message.hasSuffix("(repeated)") && $0.metadata["host"] == "127.0.0.3" }
                .compactMap { $0.metadata["count"].flatMap { Int($0) } }
                .reduce(0, +)
        }
        let wrongPassword = { (message: String) in message.hasPrefix("wrong password") }
        let refusedRegistration = { (message: String) in message.hasPrefix("registration refused") }
        let summarized = await eventually(timeout: .seconds(10)) {
            repeats(wrongPassword) == 39 && repeats(refusedRegistration) == 9
        }
        let notices = lines.all.filter { $0.level == .notice && $0.metadata["host"] == "127.0.0.3" }
        #expect(summarized, "the repeats were not counted: \(notices.map { "\($0.message) \($0.metadata)" })")
        // The first of each reason at once, then a summary per interval the flood lasted: a few lines, not 49.
        #expect(notices.filter { wrongPassword($0.message) }.count <= 6, "\(notices.map(\.message))")
        #expect(notices.count <= 12, "\(notices.map(\.message))")
        await server.shutdown()
    }
}

/// What a logger was given, for a test to look at.
final class LogLines: Sendable {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let lines = Mutex<[Line]>([])

    var all: [Line] { lines.withLock { $0 } }

    func append(_ line: Line) {
        lines.withLock { $0.append(line) }
    }
}

struct CapturingLogHandler: LogHandler {
    let lines: LogLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        lines.append(LogLines.Line(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
    }
}
