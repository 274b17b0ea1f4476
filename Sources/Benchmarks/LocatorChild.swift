import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A `p2pchat locator` started by a benchmark as a process of its own (this same executable), so
/// its memory can be read apart from the load generator's.
final class LocatorChild {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let port: Int
    private let process: Process

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    /// Starts a locator on 127.0.0.1 at `port` (0: a free one) with its data in `directory`.
    static func start(directory: URL, port: Int = 0, arguments: [String] = []) async throws -> LocatorChild {
        let output = directory.appendingPathComponent("locator.out")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: output.path, contents: nil) else {
            throw Failure(description: "cannot create \(output.path)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = [
            "locator", "--listen", "127.0.0.1:\(port)", "--data-dir", directory.path, "--log-level", "error",
            // The load comes from one address, and each modern session registers an account.
            "--max-connections-per-address", "1000000", "--registration-rate", "1000000", "--legacy-login-rate", "1000000",
            "--registration-rate-total", "1000000", "--hash-queue-per-address", "1000000",
        ] + arguments
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        let prefix = "p2pchat locator listening on 127.0.0.1:"
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, process.isRunning {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }), let port = Int(line.dropFirst(prefix.count)) {
                return LocatorChild(port: port, process: process)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        // The scratch directory goes with the benchmark, so its output is told here, not pointed to.
        let printed = ((try? String(contentsOf: output, encoding: .utf8)) ?? "").split(separator: "\n").last
        throw Failure(description: "the locator did not start" + (printed.map { ": \($0)" } ?? " (its error, if it gave one, is above)"))
    }

    /// The locator's resident memory now, in bytes (`VmRSS`).
    var residentBytes: Int {
        Self.residentBytes(ofProcess: process.processIdentifier)
    }

    /// The resident memory of process `pid` now, in bytes (`VmRSS`); 0 when it cannot be read.
    static func residentBytes(ofProcess pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes * 1024
    }

    var processIdentifier: Int32 { process.processIdentifier }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// `kill -9`: the replica dies without a word to its clients or its database.
    func kill() {
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
