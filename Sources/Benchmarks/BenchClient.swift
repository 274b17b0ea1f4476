import Foundation
import Synchronization

/// A `p2pchat --json` client run as a child process by a benchmark: lines go to its standard
/// input, its JSON events are collected, and its peak memory is read from `/proc`.
final class BenchClient: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let name: String
    private let process: Process
    private let input: FileHandle
    private let lines = Mutex<[String]>([])
    private let finished = Mutex(false)

    init(name: String, executable: URL, arguments: [String]) throws {
        self.name = name
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
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
                lines.withLock { $0.append(line) }
            }
        }
        finished.withLock { $0 = true }
    }

    func send(_ line: String) {
        input.write(Data((line + "\n").utf8))
    }

    /// The first JSON event called `event` whose fields include `fields`, waiting up to `timeout`.
    @discardableResult
    func wait(for event: String, _ fields: [String: String] = [:], timeout: Duration = .seconds(600)) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        var checked = 0
        while ContinuousClock.now < deadline {
            // Each line is parsed once, and rarely: the measured programs need the CPU more.
            let fresh = lines.withLock { $0.dropFirst(checked) }
            checked += fresh.count
            let found = fresh.lazy.compactMap(Self.object).first { object in
                object["event"] as? String == event && fields.allSatisfy { "\(object[$0.key] ?? "")" == $0.value }
            }
            if let found { return found }
            if finished.withLock({ $0 }) { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let errors = lines.withLock { $0.filter { $0.contains("\"error\"") || $0.contains("failed") }.suffix(3) }
        throw Failure(description: "\(name) did not print \(event) \(fields): \(errors.joined(separator: " | "))")
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

    private static func object(_ line: String) -> [String: Any]? {
        guard line.hasPrefix("{"), let data = line.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}
