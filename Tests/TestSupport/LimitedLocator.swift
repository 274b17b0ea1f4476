import Foundation

/// The built `p2pchat locator` run as a child process under a low open-file limit (`ulimit -n`,
/// soft and hard), so that running out of descriptors can be tried without touching the test
/// process's own limit.
public final class LimitedLocator: Sendable {
    public let port: Int
    public let process: SpawnedProcess
    public let directory: TemporaryDirectory

    private init(port: Int, process: SpawnedProcess, directory: TemporaryDirectory) {
        self.port = port
        self.process = process
        self.directory = directory
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func start(fileLimit: Int, arguments: [String] = []) async throws -> LimitedLocator {
        // The test bundle is itself the running executable, in the build directory next to p2pchat.
        let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("p2pchat")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw Failure(description: "no p2pchat executable at \(binary.path): build it first (swift build)")
        }
        let directory = try TemporaryDirectory(prefix: "p2pchat-limited-locator")
        let output = directory.url.appendingPathComponent("stdout")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        let process = try SpawnedProcess.start(
            "/bin/sh",
            [
                "-c", "ulimit -n \(fileLimit) && exec \"$0\" \"$@\"", binary.path,
                "locator", "--listen", "127.0.0.1:0", "--data-dir", directory.url.path, "--log-level", "error",
            ] + arguments,
            standardOutput: handle.fileDescriptor)
        let prefix = "p2pchat locator listening on 127.0.0.1:"
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, process.isRunning {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }),
                let port = Int(line.dropFirst(prefix.count))
            {
                return LimitedLocator(port: port, process: process, directory: directory)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.signal(SIGTERM)
        directory.remove()
        throw Failure(description: "the locator did not say where it listens")
    }

    /// What the locator printed on standard output.
    public var output: String {
        (try? String(contentsOf: directory.url.appendingPathComponent("stdout"), encoding: .utf8)) ?? ""
    }

    /// The locator's resident memory now (`VmRSS`), in bytes.
    public var residentBytes: Int {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ")[1])
        else { return 0 }
        return kilobytes * 1024
    }

    /// CPU time (user and system) the locator has used so far, in seconds.
    public var cpuSeconds: Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
            let afterName = stat.lastIndex(of: ")")
        else { return 0 }
        // Fields after the name: state is field 3; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: afterName)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    public func stop() async {
        // A stopped process acts on no SIGTERM: a test that failed while it had paused the
        // locator (SIGSTOP) would wait here for ever.
        process.signal(SIGCONT)
        process.signal(SIGTERM)
        let process = process
        _ = try? await LegacyCourseClient.onThread { process.waitUntilExit() }
        directory.remove()
    }
}
