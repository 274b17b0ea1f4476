import Foundation

/// What every `p2pchat locator` replica of one service over a test's PostgreSQL is given: the
/// database's URL, a password file, and one key file for the shared identity (both mode 600).
public enum ReplicaFiles {
    /// `locator` options for a replica of the service whose files are in `directory`.
    public static func arguments(for postgres: TestPostgres, in directory: URL, key: String = "test-service-key-0123456789abcdef") throws -> [String] {
        let password = directory.appendingPathComponent("pgpass")
        let keyFile = directory.appendingPathComponent("service-\(key.prefix(8)).key")
        for (file, text) in [(password, TestPostgres.password), (keyFile, key)] {
            try Data((text + "\n").utf8).write(to: file)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        }
        return ["--store", postgres.url(), "--store-password-file", password.path, "--store-key-file", keyFile.path]
    }
}
