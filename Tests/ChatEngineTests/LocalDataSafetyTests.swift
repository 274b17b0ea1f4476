import Foundation
import ChatIdentity
import GRDB
import Logging
import TestSupport
import Testing

@testable import ChatEngine

@Suite("Local data: clear errors and nothing left readable or damaged further")
struct LocalDataSafetyTests {
    private func configuration(_ directory: URL) -> EngineConfiguration {
        EngineConfiguration(user: "alice", dataDirectory: directory)
    }

    private func mode(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("a file given as the data directory is one line naming the path")
    func fileAsDataDirectory() async throws {
        try await withTemporaryDirectory { root in
            let file = root.appendingPathComponent("not-a-dir")
            try Data("x".utf8).write(to: file)
            let error = try #require(throws: DataDirectory.Error.self) {
                _ = try ChatEngine(configuration: configuration(file), logger: Logger(label: "test"))
            }
            #expect(error.description == "cannot use \(file.path) as the data directory: it is a file, not a directory")
        }
    }

    @Test("a data directory below a file cannot be created, and says so in one line")
    func directoryBelowAFile() async throws {
        try await withTemporaryDirectory { root in
            let file = root.appendingPathComponent("plain")
            try Data("x".utf8).write(to: file)
            let directory = file.appendingPathComponent("alice")
            let error = try #require(throws: DataDirectory.Error.self) {
                _ = try ChatEngine(configuration: configuration(directory), logger: Logger(label: "test"))
            }
            #expect(error.description == "cannot use \(directory.path) as the data directory: a part of its path is a file, not a directory")
            #expect(!error.description.contains("NSCocoaErrorDomain"))
        }
    }

    @Test("new files are private: the directory 0700, the key and chat.sqlite 0600")
    func privateModes() async throws {
        try await withTemporaryDirectory { root in
            let directory = root.appendingPathComponent("alice")
            let engine = try ChatEngine(configuration: configuration(directory), logger: Logger(label: "test"))
            await engine.close()
            #expect(try mode(of: directory.path) == 0o700)
            #expect(try mode(of: directory.appendingPathComponent("identity.pem").path) == 0o600)
            #expect(try mode(of: directory.appendingPathComponent("chat.sqlite").path) == 0o600)
        }
    }

    @Test("a private key readable by others is made 0600 again, with a warning")
    func looseKeyIsRepaired() async throws {
        try await withTemporaryDirectory { root in
            let directory = root.appendingPathComponent("alice")
            let key = directory.appendingPathComponent("identity.pem").path
            let first = try ChatEngine(configuration: configuration(directory), logger: Logger(label: "test"))
            await first.close()
            #expect(chmod(key, 0o644) == 0)

            let second = try ChatEngine(configuration: configuration(directory), logger: Logger(label: "test"))
            await second.close()
            var warnings: [String] = []
            for await event in second.events {
                if case .session(.securityWarning(let text)) = event { warnings.append(text) }
            }
            #expect(try mode(of: key) == 0o600)
            #expect(warnings.count == 1)
            #expect(warnings.first?.contains("was readable by others (mode 644); it is now 0600") == true)
        }
    }

    @Test("a lost identity.pem beside a kept chat.sqlite is refused in one line, and replaced only on purpose")
    func lostIdentityIsNotReplacedSilently() async throws {
        try await withTemporaryDirectory { root in
            let directory = root.appendingPathComponent("alice")
            let key = directory.appendingPathComponent("identity.pem")
            let database = directory.appendingPathComponent("chat.sqlite")
            let first = try ChatEngine(configuration: configuration(directory), logger: Logger(label: "test"))
            let oldFingerprint = first.fingerprint
            try await first.store.addContact(id: "bob", fingerprint: String(repeating: "ab", count: 32))
            await first.close()
            try FileManager.default.removeItem(at: key)
            let history = try Data(contentsOf: database)

            let error = try #require(throws: EngineError.self) {
                _ = try ChatEngine(configuration: configuration(directory), logger: Logger(label: "test"))
            }
            #expect(error == .identityMissing(user: "alice", directory: directory.path))
            #expect(!error.description.contains("\n"))
            #expect(error.description.contains("restore identity.pem"))
            #expect(error.description.contains("--new-identity"))
            #expect(!FileManager.default.fileExists(atPath: key.path), "no key was made in its place")
            #expect(try Data(contentsOf: database) == history, "the history was left as it was")

            var onPurpose = configuration(directory)
            onPurpose.makesNewIdentity = true
            let second = try ChatEngine(configuration: onPurpose, logger: Logger(label: "test"))
            #expect(second.fingerprint != oldFingerprint)
            #expect(try await second.store.contacts().map(\.id) == ["bob"], "friends and history are kept")
            await second.close()
            var warnings: [String] = []
            for await event in second.events {
                if case .session(.securityWarning(let text)) = event { warnings.append(text) }
            }
            #expect(warnings.count == 1)
            #expect(warnings.first?.contains("a new identity was made for alice") == true)
            #expect(warnings.first?.contains(second.fingerprint.grouped) == true)

            // The new key is the identity from now on: the next start needs no option.
            let third = try ChatEngine(configuration: configuration(directory), logger: Logger(label: "test"))
            #expect(third.fingerprint == second.fingerprint)
            await third.close()
        }
    }

    /// A chat.sqlite with 400 messages from bob, one page in the middle of it overwritten with
    /// garbage, as a failing disk might; returns its bytes.
    private func makeDamagedDatabase(at path: String) async throws -> Data {
        do {
            let store = try ChatStore(path: path)
            for index in 0..<400 {
                let message = StoredMessage.incoming(
                    id: "m\(index)", from: "bob", to: "alice", body: String(repeating: "text \(index) ", count: 20),
                    sentAt: Date())
                _ = try await store.insertIncoming(message)
            }
            // Everything into the main file, so the damage below hits committed pages.
            _ = try await store.pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
            try store.pool.close()
        }
        let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        #expect(wal == 0)
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        let size = try handle.seekToEnd()
        #expect(size > 16 * 4096)
        try handle.seek(toOffset: size / 4096 / 2 * 4096)
        try handle.write(contentsOf: Data(repeating: 0x5A, count: 4096))
        try handle.close()
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    @Test("a chat.sqlite with a damaged page is refused when opened, and left as it was")
    func damagedDatabase() async throws {
        try await withTemporaryDirectory { root in
            let path = root.appendingPathComponent("chat.sqlite").path
            let damaged = try await makeDamagedDatabase(at: path)

            let error = try #require(throws: ChatStore.Error.self) { _ = try ChatStore(path: path) }
            guard case .damaged(let reportedPath, _) = error else {
                Issue.record("expected .damaged, got \(error)")
                return
            }
            #expect(reportedPath == path)
            #expect(error.description.contains("is damaged"))
            #expect(!error.description.contains("\n"), "one line")
            let after = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(after == damaged, "nothing was written into it")
        }
    }

    /// `.recover`, which the advice named before, fails on Debian 12's sqlite3 with "SQL logic
    /// error" and left an empty database.
    @Test(
        "the command the damage error prints salvages the readable history into a database p2pchat opens",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "sqlite3 is not installed (apt-get install sqlite3)"))
    func salvageAdvice() async throws {
        try await withTemporaryDirectory { root in
            let path = root.appendingPathComponent("chat.sqlite").path
            _ = try await makeDamagedDatabase(at: path)
            let error = try #require(throws: ChatStore.Error.self) { _ = try ChatStore(path: path) }
            let parts = error.description.split(separator: "`", omittingEmptySubsequences: false)
            try #require(parts.count == 3, "one command in backquotes: \(error.description)")

            let run = try SpawnedProcess.run("/bin/sh", ["-c", "cd '\(root.path)' && \(parts[1])"])
            #expect(run.status == 0, "\(run.errors)")
            let store = try ChatStore(path: root.appendingPathComponent("recovered.sqlite").path)
            let history = try await store.history(with: "bob", limit: 1000)
            #expect(history.count > 300 && history.count < 400, "most messages, not the damaged page's: \(history.count)")
            let found = try await store.search("text", limit: 1000)
            #expect(found.count == history.count, "the search index lists what is left")
        }
    }

    /// The errors an engine told its user from start to close.
    private func errorsOfARun(in directory: URL) async throws -> [String] {
        let engine = try ChatEngine(configuration: configuration(directory), logger: Logger(label: "test"))
        await engine.close()
        var errors: [String] = []
        for await event in engine.events {
            if case .session(.error(let text)) = event { errors.append(text) }
        }
        return errors
    }

    @Test(
        "a new, empty chat database beside an identity from an earlier run is said to have lost the history",
        arguments: ["missing", "empty"])
    func emptyDatabaseBesideIdentity(how: String) async throws {
        try await withTemporaryDirectory { root in
            let directory = root.appendingPathComponent("alice")
            #expect(try await errorsOfARun(in: directory).isEmpty, "a first start is not a loss")
            #expect(try await errorsOfARun(in: directory).isEmpty, "nor is a second one")

            let database = directory.appendingPathComponent("chat.sqlite").path
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
            if how == "empty" {
                // What the old `.recover` advice left behind.
                #expect(FileManager.default.createFile(atPath: database, contents: Data()))
            }
            let errors = try await errorsOfARun(in: directory)
            #expect(errors.count == 1)
            #expect(errors.first?.contains("\(database) held no chat history") == true)
            #expect(errors.first?.contains("earlier messages and friends are gone") == true)
            #expect(try await errorsOfARun(in: directory).isEmpty, "said once, when it happened")
        }
    }
}
