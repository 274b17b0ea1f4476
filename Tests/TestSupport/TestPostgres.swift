import Foundation
import Locator
import LoopbackPorts
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A PostgreSQL server of a test's own: Debian's `postgresql` binaries, a cluster in a temporary
/// directory, run as the unprivileged `postgres` user (the server refuses root), listening on
/// 127.0.0.1 at a free port and on a Unix socket in that directory.
///
/// `initdb` is slow on a busy machine (seconds), so it runs once per test process into a template
/// cluster, and each server starts from a copy of it. Tests never assume a server is running.
/// TCP logins need `password` (scram-sha-256); the Unix socket trusts its owner.
public final class TestPostgres: Sendable {
    public static let binaries = "/usr/lib/postgresql/15/bin"
    public static let user = "p2pchat"
    public static let password = "test-password-\(UInt32.random(in: 0...UInt32.max))"

    /// Why PostgreSQL tests cannot run here, or `nil` when they can.
    public static var unavailableReason: String? {
        if !FileManager.default.isExecutableFile(atPath: "\(binaries)/initdb") {
            return "needs Debian's postgresql package: apt-get install postgresql"
        }
        if geteuid() != 0 { return "needs root, to run PostgreSQL as the postgres user" }
        if getpwnam("postgres") == nil { return "needs the postgres user that Debian's package creates" }
        if !FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") { return "needs setpriv (util-linux)" }
        return nil
    }

    public static var isAvailable: Bool { unavailableReason == nil }

    /// libfaketime, which sets the server's wall clock off from the machine's (Debian's `faketime`).
    public static let fakeTimeLibrary: String = {
        #if arch(arm64)
        "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"
        #else
        "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"
        #endif
    }()

    /// Why a server with a shifted clock cannot run here, or `nil` when it can.
    public static var clockShiftUnavailableReason: String? {
        if let reason = unavailableReason { return reason }
        if !FileManager.default.isReadableFile(atPath: fakeTimeLibrary) {
            return "needs libfaketime, to set the database's clock off: apt-get install faketime"
        }
        return nil
    }

    public let directory: TemporaryDirectory
    public let port: Int
    /// How far the server's wall clock is set off from the machine's, as libfaketime's `FAKETIME`
    /// reads it ("+1h", "-1h"); `nil`: the machine's clock.
    public let clockShift: String?
    private let server: Mutex<SpawnedProcess?>

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The store settings of the database `database` over TCP, with the password.
    public func settings(database: String = "postgres") -> PostgresStoreSettings {
        PostgresStoreSettings(
            endpoint: .tcp(host: "127.0.0.1", port: port), user: Self.user, database: database, password: Self.password,
            tls: .disable)
    }

    /// The Unix socket's directory, as a `host` for libpq-style settings.
    public var socketDirectory: String { directory.url.path }

    /// `postgresql://` URL of the server over TCP, for `p2pchat locator --store`.
    public func url(database: String = "postgres") -> String {
        "postgresql://\(Self.user)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    private init(directory: TemporaryDirectory, port: Int, clockShift: String?) {
        self.directory = directory
        self.port = port
        self.clockShift = clockShift
        self.server = Mutex(nil)
    }

    /// Starts a fresh server, ready for connections; its wall clock set off by `clockShift`
    /// (libfaketime's `FAKETIME`: "+1h", "-1h") when given.
    public static func start(clockShift: String? = nil) async throws -> TestPostgres {
        let template = try await Template.shared.path()
        let directory = try TemporaryDirectory(prefix: "p2pchat-pg")
        do {
            try own(directory.url.path)
            let copy = try SpawnedProcess.run("/bin/cp", ["-a", template, directory.url.appendingPathComponent("data").path])
            guard copy.status == 0 else { throw Failure(description: "cannot copy the template cluster: \(copy.errors)") }
            let postgres = TestPostgres(directory: directory, port: try FreePort.onLoopback(), clockShift: clockShift)
            try await postgres.startServer()
            return postgres
        } catch {
            directory.remove()
            throw error
        }
    }

    /// Starts the server again on the same cluster and port, after `stopServer` or a crash.
    public func startServer() async throws {
        let data = directory.url.appendingPathComponent("data").path
        let log = open(directory.url.appendingPathComponent("server.log").path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        defer { if log >= 0 { close(log) } }
        let process = try SpawnedProcess.start(
            "/usr/bin/setpriv",
            Self.asPostgres + clockShiftPrefix + [
                "\(Self.binaries)/postgres", "-D", data, "-p", String(port), "-k", socketDirectory,
                "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off",
            ],
            standardOutput: log >= 0 ? log : nil, standardError: log >= 0 ? log : nil)
        server.withLock { $0 = process }
        // Ready once pg_isready says so; a server that ended on its own will not become ready.
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw Failure(description: "postgres ended at start: \(serverLog.suffix(2000))")
            }
            let ready = try SpawnedProcess.run(
                "\(Self.binaries)/pg_isready", ["-q", "-h", socketDirectory, "-p", String(port), "-U", Self.user])
            if ready.status == 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.signal(SIGKILL)
        throw Failure(description: "postgres not ready after 60 s: \(serverLog.suffix(2000))")
    }

    /// What runs `postgres` under the shifted clock: `env` sets libfaketime's variables after
    /// `setpriv` has become the postgres user. Preloaded into `setpriv` itself (root), libfaketime
    /// made its shared semaphore as root, and postgres could not open it and did not start.
    /// Only the wall clock moves (`now()`, the logs); the monotonic clock stays the machine's, so
    /// the server's own timeouts run as usual.
    private var clockShiftPrefix: [String] {
        guard let clockShift else { return [] }
        return [
            "/usr/bin/env", "LD_PRELOAD=\(Self.fakeTimeLibrary)", "FAKETIME=\(clockShift)", "FAKETIME_DONT_FAKE_MONOTONIC=1",
        ]
    }

    /// Seconds by which the server's `now()` is ahead of this process's clock (behind: negative).
    public func clockAhead() throws -> Double {
        let before = Date().timeIntervalSince1970
        let text = try psql("SELECT extract(epoch FROM clock_timestamp())")
        let after = Date().timeIntervalSince1970
        guard let theirs = Double(text) else { throw Failure(description: "not a time: '\(text)'") }
        return theirs - (before + after) / 2
    }

    /// Stops the server: `SIGINT` is PostgreSQL's fast shutdown (clients are disconnected); `SIGKILL` a crash.
    public func stopServer(signal: Int32 = SIGINT) {
        guard let process = server.withLock({ $0 }) else { return }
        process.signal(signal)
        process.waitUntilExit()
    }

    /// Stops the server and removes the cluster.
    public func stop() {
        stopServer()
        directory.remove()
    }

    /// What the server has logged so far, for failure messages.
    public var serverLog: String {
        (try? String(contentsOf: directory.url.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
    }

    /// Runs one SQL statement with psql over the Unix socket; its output.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        let result = try SpawnedProcess.run(
            "/usr/bin/setpriv",
            Self.asPostgres + [
                "\(Self.binaries)/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", socketDirectory,
                "-p", String(port), "-U", Self.user, "-d", database, "-c", sql,
            ])
        guard result.status == 0 else { throw Failure(description: "psql: \(result.errors)") }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Takes the session advisory locks `keys` on a connection of its own (psql, named
    /// `application_name`), and holds them until `releaseLocks(holder:)`: what a test does to
    /// make the replicas wait, in order, at a point of its choosing.
    public func holdAdvisoryLocks(_ keys: [Int64], holder: String = "p2pchat-test-lock-holder") async throws -> SpawnedProcess {
        let take = keys.map { "pg_advisory_lock(\($0))" }.joined(separator: ", ")
        let process = try SpawnedProcess.start(
            "/usr/bin/setpriv",
            Self.asPostgres + [
                "/usr/bin/env", "PGAPPNAME=\(holder)", "\(Self.binaries)/psql", "-X", "-q", "-h", socketDirectory,
                "-p", String(port), "-U", Self.user, "-d", "postgres", "-c", "SELECT \(take)", "-c", "SELECT pg_sleep(600)",
            ])
        let held = keys.count
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, process.isRunning {
            let count = try psql(
                """
                SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
                WHERE a.application_name = '\(holder)' AND l.locktype = 'advisory' AND l.granted
                """)
            if count == String(held) { return process }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.signal(SIGKILL)
        throw Failure(description: "the lock holder did not get its \(held) locks")
    }

    /// Ends the session that `holdAdvisoryLocks` opened, which frees its locks.
    public func releaseLocks(holder: String = "p2pchat-test-lock-holder", process: SpawnedProcess) throws {
        try psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '\(holder)'")
        _ = process.waitUntilExit()
    }

    /// The backends waiting for an advisory lock now, oldest wait first.
    public func advisoryLockWaiters() throws -> [Int32] {
        try psql(
            """
            SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a USING (pid)
            WHERE l.locktype = 'advisory' AND NOT l.granted ORDER BY a.query_start
            """
        ).split(separator: "\n").compactMap { Int32($0) }
    }

    /// A new, empty database on this server.
    public func createDatabase(_ name: String) throws {
        try psql("CREATE DATABASE \(name)")
    }

    static let asPostgres = ["--reuid=postgres", "--regid=postgres", "--init-groups", "--"]

    /// Gives `path` to the postgres user, who runs the server.
    static func own(_ path: String) throws {
        guard let entry = getpwnam("postgres"), chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
            throw Failure(description: "cannot give \(path) to the postgres user: errno \(errno)")
        }
    }

    /// The cluster that `initdb` made once for this test process; copies of it start each server.
    actor Template {
        static let shared = Template()
        private var made: Result<String, any Error>?
        private var directory: TemporaryDirectory?

        func path() throws -> String {
            if let made { return try made.get() }
            let result = Result { try makeTemplate() }
            made = result
            return try result.get()
        }

        private func makeTemplate() throws -> String {
            let directory = try TemporaryDirectory(prefix: "p2pchat-pg-template")
            self.directory = directory
            // The template serves the whole test process: it goes when the process exits.
            templateToRemove.withLock { $0 = directory.url.path }
            atexit {
                if let path = templateToRemove.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) }
            }
            try TestPostgres.own(directory.url.path)
            let passwordFile = directory.url.appendingPathComponent("password").path
            try Data(TestPostgres.password.utf8).write(to: URL(fileURLWithPath: passwordFile))
            try TestPostgres.own(passwordFile)
            let data = directory.url.appendingPathComponent("data").path
            let result = try SpawnedProcess.run(
                "/usr/bin/setpriv",
                TestPostgres.asPostgres + [
                    "\(TestPostgres.binaries)/initdb", "-D", data, "-U", TestPostgres.user, "--pwfile=\(passwordFile)",
                    "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync", "--no-instructions",
                ])
            guard result.status == 0 else { throw Failure(description: "initdb failed: \(result.errors)") }
            return data
        }
    }
}

/// The template cluster's directory, for the exit handler (a C function, which captures nothing).
private let templateToRemove = Mutex<String?>(nil)

/// Runs `body` with a fresh PostgreSQL server, its clock set off by `clockShift` when given, and
/// stops it after, whatever happens.
public func withTestPostgres<Result: Sendable>(
    clockShift: String? = nil, _ body: (TestPostgres) async throws -> Result
) async throws -> Result {
    let postgres = try await TestPostgres.start(clockShift: clockShift)
    defer { postgres.stop() }
    return try await body(postgres)
}
