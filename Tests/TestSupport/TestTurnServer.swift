import Foundation
import LoopbackPorts
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real coturn `turnserver` for a test, on 127.0.0.1 and a free port, in the REST-API mode the
/// locator's `--turn` expects (`use-auth-secret`), TCP and UDP without TLS, relaying on loopback
/// (which coturn refuses unless told). Its files live in a temporary directory of its own.
public final class TestTurnServer: Sendable {
    public static let path = "/usr/bin/turnserver"
    public static let isInstalled = FileManager.default.isExecutableFile(atPath: path)
    public static let missingReason: Comment = "turnserver is not installed (apt-get install coturn)"

    public let host = "127.0.0.1"
    public let port: Int
    public let secret: [UInt8]
    public let realm = "p2pchat"
    private let process: SpawnedProcess
    private let directory: TemporaryDirectory
    /// Everything it printed, for a failing test to show.
    private let log: Output

    private final class Output: Sendable {
        let lines = Mutex<[String]>([])
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private init(port: Int, secret: [UInt8], process: SpawnedProcess, directory: TemporaryDirectory, log: Output) {
        self.port = port
        self.secret = secret
        self.process = process
        self.directory = directory
        self.log = log
    }

    /// Starts it and returns once it logs that its TCP listener is open. `extraArguments` go to
    /// `turnserver` after the test settings (e.g. `--max-allocate-lifetime=4`).
    public static func start(extraArguments: [String] = []) throws -> TestTurnServer {
        let directory = try TemporaryDirectory(prefix: "p2pchat-turn")
        let secret = (0..<24).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! }
        let port = try FreePort.onLoopback()
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else { throw Failure(description: "pipe failed: errno \(errno)") }
        let arguments = [
            "-n", "-v", "--listening-ip=127.0.0.1", "--listening-port=\(port)", "--relay-ip=127.0.0.1",
            "--use-auth-secret", "--static-auth-secret=\(String(secret))", "--realm=p2pchat",
            "--no-tls", "--no-dtls", "--no-cli", "--allow-loopback-peers", "--log-file=stdout",
            "--pidfile=\(directory.url.path)/turnserver.pid", "--db=\(directory.url.path)/turndb",
        ] + extraArguments
        let process: SpawnedProcess
        do {
            process = try SpawnedProcess.start(path, arguments, standardOutput: descriptors[1], standardError: descriptors[1])
        } catch {
            close(descriptors[0])
            close(descriptors[1])
            directory.remove()
            throw error
        }
        close(descriptors[1])

        let log = Output()
        let readEnd = descriptors[0]
        let ready = DispatchSemaphore(value: 0)
        let readyLine = "TCP listener opened on : 127.0.0.1:\(port)"
        // Reads its output to the end (a full pipe would stop it), and says when the listener is open
        // or the output ended without it.
        let reader = Thread {
            let file = FileHandle(fileDescriptor: readEnd, closeOnDealloc: true)
            var pending = Data()
            var signalled = false
            while true {
                let chunk = file.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[..<newline], as: UTF8.self)
                    pending = Data(pending[(newline + 1)...])
                    log.lines.withLock { $0.append(line) }
                    if !signalled, line.contains(readyLine) {
                        signalled = true
                        ready.signal()
                    }
                }
            }
            if !signalled { ready.signal() }
        }
        reader.start()
        ready.wait()
        let server = TestTurnServer(port: port, secret: Array(String(secret).utf8), process: process, directory: directory, log: log)
        guard log.lines.withLock({ $0.contains { $0.contains(readyLine) } }) else {
            let output = server.output
            server.stop()
            throw Failure(description: "turnserver did not start:\n\(output)")
        }
        return server
    }

    public var output: String { log.lines.withLock { $0.suffix(40).joined(separator: "\n") } }

    /// Ends it (SIGTERM, then waits), and removes its files.
    public func stop() {
        process.signal(SIGTERM)
        process.waitUntilExit()
        directory.remove()
    }
}

/// Runs `body` with a fresh coturn, stopping it afterwards whatever happens.
public func withTestTurnServer<Result>(_ body: (TestTurnServer) async throws -> Result) async throws -> Result {
    let server = try TestTurnServer.start()
    defer { server.stop() }
    return try await body(server)
}
