import Foundation
import LoopbackPorts

/// A throwaway PostgreSQL for `bench locator --replicas`: Debian's binaries, a cluster made with
/// `initdb` in a scratch directory, run as the `postgres` user (the server refuses root) on a free
/// loopback port, trusting local connections. Settings as a production server would have them
/// (`fsync` on): the figures are the store's, not a test's.
final class BenchPostgres {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let binaries = "/usr/lib/postgresql/15/bin"
    static let asPostgres = ["--reuid=postgres", "--regid=postgres", "--init-groups", "--"]

    let directory: URL
    let port: Int
    private let server: Process

    private init(directory: URL, port: Int, server: Process) {
        self.directory = directory
        self.port = port
        self.server = server
    }

    /// The URL a locator's `--store` takes.
    var url: String { "postgresql://postgres@127.0.0.1:\(port)/postgres?sslmode=disable" }

    /// Why it cannot run here, or `nil`.
    static var unavailableReason: String? {
        if !FileManager.default.isExecutableFile(atPath: "\(binaries)/initdb") { return "needs Debian's postgresql package" }
        if geteuid() != 0 || getpwnam("postgres") == nil { return "needs root and the postgres user, to run PostgreSQL" }
        return nil
    }

    static func start(in directory: URL) throws -> BenchPostgres {
        if let reason = unavailableReason { throw Failure(description: reason) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        guard let entry = getpwnam("postgres"), chown(directory.path, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
            throw Failure(description: "cannot give \(directory.path) to the postgres user")
        }
        let data = directory.appendingPathComponent("data").path
        try run("\(binaries)/initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions"])
        let port = try FreePort.onLoopback()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        server.arguments = asPostgres + [
            "\(binaries)/postgres", "-D", data, "-p", String(port), "-k", directory.path, "-c", "listen_addresses=127.0.0.1",
        ]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = try FileHandle(forWritingTo: touch(directory.appendingPathComponent("server.log")))
        try server.run()
        let postgres = BenchPostgres(directory: directory, port: port, server: server)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, server.isRunning {
            if (try? postgres.psql("SELECT 1")) == "1" { return postgres }
            Thread.sleep(forTimeInterval: 0.1)
        }
        postgres.stop()
        throw Failure(description: "PostgreSQL did not start (see \(directory.path)/server.log)")
    }

    /// Runs one statement with psql over the Unix socket; its output.
    @discardableResult
    func psql(_ sql: String) throws -> String {
        try Self.run(
            "\(Self.binaries)/psql",
            ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", directory.path, "-p", String(port), "-U", "postgres", "-c", sql])
    }

    func stop() {
        server.interrupt()
        server.waitUntilExit()
    }

    private static func run(_ program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = asPostgres + [program] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0 else { throw Failure(description: "\(program): \(text.suffix(500))") }
        return text
    }

    private static func touch(_ url: URL) -> URL {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        return url
    }
}
