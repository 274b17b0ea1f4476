import Foundation
import GRDB
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The client's local store: one database for every part's tables (contacts and
/// requests in `Parts/Friends`, messages and the outbox in `Parts/Messaging`, …),
/// each part adding its queries as an extension in its own folder.
///
/// One SQLite file per user (`chat.sqlite` in the data directory), opened as a
/// GRDB `DatabasePool` in WAL mode, so readers (history, search) never wait for
/// the writer. Every logical operation is one transaction: a kill -9 at any
/// moment leaves either all of it or none of it on disk.
///
/// All queries are `async`: GRDB suspends the calling task instead of blocking
/// a thread of the cooperative pool while SQLite waits for the disk, which
/// matters because the engine calls the store from its actors.
/// Methods throw ``ChatStore/Error``, or `CancellationError` when the calling
/// task is cancelled before its transaction commits (nothing is then written).
public final class ChatStore: Sendable {
    /// The database file.
    public let path: String
    let pool: DatabasePool
    let logger: Logger
    private let committed = Atomic<Int>(0)
    /// Whether the file held no p2pchat data when opened (new, empty, or SQLite without tables),
    /// so that its schema was made from nothing: no history, no friends.
    public let startedEmpty: Bool

    /// Write transactions committed so far: with a count of what they stored, how well commits
    /// are shared (each one costs an fsync).
    public var commits: Int { committed.load(ordering: .relaxed) }

    /// Opens `path`, creating it if needed, and brings its schema up to date.
    ///
    /// A file that is not an SQLite database, or an SQLite database of some
    /// other program, is refused with ``Error/notADatabase(path:)`` and left
    /// byte for byte as it was.
    public init(path: String, logger: Logger = Logger(label: "p2pchat.store")) throws {
        self.path = path
        self.logger = logger

        var configuration = Configuration()
        configuration.label = "p2pchat.store"
        configuration.foreignKeysEnabled = true
        // Two clients started on the same data directory must not fail at once on a lock.
        configuration.busyMode = .timeout(5)

        let pool: DatabasePool
        do {
            if try Self.createPrivately(path) == false {
                try Self.checkIntegrity(path: path, configuration: configuration)
            }
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw Self.openError(error, path: path)
        }
        self.pool = pool

        do {
            // In WAL mode, synchronous=NORMAL already survives a kill -9 (the WAL is in the OS
            // cache), but not a power cut: the last commits can vanish. We send an `Ack` right after
            // storing an incoming message, and the peer then drops it from its outbox for good, so
            // a commit we acked must be on stable storage: FULL syncs the WAL on every commit.
            // Set here, on the pool's one long-lived writer connection, and not in
            // `prepareDatabase`, because GRDB sets NORMAL after that hook when it enables WAL.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            startedEmpty = try Self.migrate(pool, path: path, logger: logger)
        } catch {
            throw Self.openError(error, path: path)
        }
    }

    /// A new database file is created 0600 (SQLite gives its WAL and shared-memory files the same
    /// mode): messages are nobody else's to read. Returns whether the file is new.
    private static func createPrivately(_ path: String) throws -> Bool {
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            close(descriptor)
            return true
        }
        guard errno == EEXIST else { throw Error.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        return false
    }

    /// `PRAGMA quick_check` on a plain connection before the pool opens (a pool writes as it
    /// opens): a damaged file is refused before anything more is written into it, since writing
    /// to a corrupt b-tree spreads the damage.
    private static func checkIntegrity(path: String, configuration: Configuration) throws {
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        let verdict = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check(1)") }
        try queue.close()
        guard verdict == ["ok"] else {
            // One line: quick_check reports "*** in database main ***" then the first problem.
            let detail = (verdict.first ?? "no answer").split(whereSeparator: \.isNewline).joined(separator: " ")
            throw Error.damaged(path: path, detail: detail)
        }
    }

    /// Refuses files this version must not touch, then applies the missing migrations; returns
    /// whether the file had no p2pchat tables before.
    private static func migrate(_ pool: DatabasePool, path: String, logger: Logger) throws -> Bool {
        let migrator = Self.migrator
        let known = Set(migrator.migrations)
        let startedEmpty = try pool.writeWithoutTransaction { db in
            let applied = try migrator.appliedIdentifiers(db)
            if applied.isEmpty {
                // Migrating adds tables: only to an empty file, never to another program's database.
                let hasTables = try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name NOT LIKE 'sqlite_%')"
                ) ?? false
                if hasTables { throw Error.notADatabase(path: path) }
                return true
            } else if applied.isDisjoint(with: known) {
                throw Error.notADatabase(path: path)
            } else if !applied.isSubset(of: known) {
                throw Error.newerSchema(path: path, unknownMigrations: applied.subtracting(known).sorted())
            }
            let pending = migrator.migrations.filter { !applied.contains($0) }
            if !pending.isEmpty {
                logger.info("migrating chat database", metadata: [
                    "path": "\(path)", "migrations": "\(pending.joined(separator: ","))",
                ])
            }
            return false
        }
        try migrator.migrate(pool)
        return startedEmpty
    }

    /// Turns whatever opening or migrating threw into an error that names the file.
    private static func openError(_ error: any Swift.Error, path: String) -> Error {
        switch error {
        case let error as Error:
            return error
        case let error as DatabaseError where error.resultCode == .SQLITE_NOTADB:
            return .notADatabase(path: path)
        case let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT:
            return .damaged(path: path, detail: error.message ?? "database disk image is malformed")
        case let error as DatabaseError:
            return .cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
        default:
            return .cannotOpen(path: path, reason: "\(error)")
        }
    }

    // MARK: - Transactions

    /// Runs `updates` in one write transaction, describing SQLite failures as `operation`.
    func write<T: Sendable>(
        _ operation: String,
        _ updates: @Sendable (Database) throws -> T
    ) async throws -> T {
        do {
            let result = try await pool.write(updates)
            committed.add(1, ordering: .relaxed)
            return result
        } catch let error as DatabaseError {
            throw Self.failure(error, operation: operation)
        }
    }

    /// A full disk is said as such: it is the one failure a user can fix, and peers are told of it.
    private static func failure(_ error: DatabaseError, operation: String) -> Error {
        error.resultCode == .SQLITE_FULL
            ? .diskFull(operation: operation) : .database(operation: operation, reason: error.message ?? "\(error.resultCode)")
    }

    /// Runs `value` on a read-only snapshot, describing SQLite failures as `operation`.
    func read<T: Sendable>(
        _ operation: String,
        _ value: @Sendable (Database) throws -> T
    ) async throws -> T {
        do {
            return try await pool.read(value)
        } catch let error as DatabaseError {
            throw Self.failure(error, operation: operation)
        }
    }
}
