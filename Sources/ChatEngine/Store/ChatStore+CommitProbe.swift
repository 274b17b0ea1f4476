import Foundation
import GRDB

extension ChatStore {
    /// How long one durable commit takes on the disk holding `directory`: `commits` one-row
    /// transactions on a scratch database with the store's own settings (WAL, synchronous=FULL).
    /// The ceiling that group commit is measured against: without sharing, one message costs
    /// at least one of these on each side.
    public static func measureCommitTime(in directory: URL, commits: Int = 500) throws -> Duration {
        let path = directory.appendingPathComponent("commit-probe-\(UUID().uuidString).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "CREATE TABLE probe (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        }
        let clock = ContinuousClock()
        let started = clock.now
        for index in 0..<commits {
            try queue.write { db in
                try db.execute(sql: "INSERT INTO probe (body) VALUES (?)", arguments: ["probe \(index)"])
            }
        }
        let elapsed = clock.now - started
        try queue.close()
        return elapsed / commits
    }
}
