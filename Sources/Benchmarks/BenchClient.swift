import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A `p2pchat --json` client run as a child process by a benchmark: lines go to its standard
/// input, its JSON events are collected with the moment each arrived, and its memory is read
/// from `/proc`.
final class BenchClient: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let name: String
    private let process: Process
    private let input: FileHandle
    private let lines = Mutex<[(line: String, arrived: ContinuousClock.Instant)]>([])
    private let finished = Mutex(false)

    /// Starts `executable`; with `withLog`, what it logs on standard error is collected among
    /// its lines too (for `waitForLog`).
    init(name: String, executable: URL, arguments: [String], withLog: Bool = false) throws {
        self.name = name
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = withLog ? stdout : FileHandle.nullDevice
        self.process = process
        self.input = stdin.fileHandleForWriting
        try process.run()
        let reader = stdout.fileHandleForReading
        let thread = Thread { [self] in collect(from: reader) }
        thread.start()
    }

    private func collect(from reader: FileHandle) {
        var pending = Data()
        while true {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            while let newline = pending.firstIndex(of: 10) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...newline)
                let arrived = ContinuousClock.now
                lines.withLock { $0.append((line, arrived)) }
            }
        }
        finished.withLock { $0 = true }
    }

    /// Sends a line to the client. A client that is gone (killed by a tear-down that a signal
    /// started) takes nothing: its end of the pipe is closed, and the write fails quietly rather
    /// than stopping the benchmark before the tear-down has deleted the namespaces.
    func send(_ line: String) {
        try? input.write(contentsOf: Data((line + "\n").utf8))
    }

    /// The first JSON event called `event` whose fields include `fields`, waiting up to `timeout`.
    @discardableResult
    func wait(for event: String, _ fields: [String: String] = [:], timeout: Duration = .seconds(600)) async throws -> [String: Any] {
        try await wait(for: event, fields, after: 0, timeout: timeout).fields
    }

    /// How many lines the client has printed so far: a mark for `wait(for:_:after:timeout:)`.
    var mark: Int { lines.withLock { $0.count } }

    /// The first JSON event called `event` whose fields include `fields` among the lines after
    /// the first `after`, waiting up to `timeout`; with the moment its line arrived and the mark
    /// just past it.
    func wait(
        for event: String, _ fields: [String: String] = [:], after: Int, timeout: Duration = .seconds(600)
    ) async throws -> (fields: [String: Any], arrived: ContinuousClock.Instant, next: Int) {
        let deadline = ContinuousClock.now + timeout
        var checked = after
        while ContinuousClock.now < deadline {
            // Each line is parsed once, and rarely: the measured programs need the CPU more.
            let fresh = lines.withLock { Array($0.dropFirst(checked)) }
            for (offset, entry) in fresh.enumerated() {
                guard let object = Self.object(entry.line), object["event"] as? String == event,
                    fields.allSatisfy({ "\(object[$0.key] ?? "")" == $0.value })
                else { continue }
                return (object, entry.arrived, checked + offset + 1)
            }
            checked += fresh.count
            if finished.withLock({ $0 }) { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let errors = lines.withLock { $0.map(\.line).filter { $0.contains("\"error\"") || $0.contains("failed") }.suffix(3) }
        throw Failure(description: "\(name) did not print \(event) \(fields): \(errors.joined(separator: " | "))")
    }

    /// Waits up to `timeout` for a line that contains `text` (a log line, with `withLog`).
    func waitForLog(_ text: String, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if lines.withLock({ $0.contains { $0.line.contains(text) } }) { return }
            if finished.withLock({ $0 }) { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Failure(description: "\(name) did not log \"\(text)\"")
    }

    /// The memory the process holds now (VmRSS), in bytes.
    var residentBytes: Int64 {
        Int64(LocatorChild.residentBytes(ofProcess: process.processIdentifier))
    }

    /// The most memory the process has held so far (VmHWM), in bytes.
    var peakResidentBytes: Int64 {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int64(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes * 1024
    }

    /// Ends the client (`/quit`) and waits for it to exit.
    func quit() {
        send("/quit")
        try? input.close()
        process.waitUntilExit()
    }

    /// Ends the client at once (SIGKILL, which it can neither catch nor inherit ignored), and
    /// waits for it: a benchmark's tear-down.
    func kill() {
        guard process.isRunning else { return }
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    private static func object(_ line: String) -> [String: Any]? {
        guard line.hasPrefix("{"), let data = line.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}
