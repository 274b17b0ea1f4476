import Foundation
import Locator
import Testing
import TestSupport

/// `--store postgresql://…`, the PGHOST style of settings, and the password file.
@Suite("PostgresStoreSettings")
struct PostgresStoreSettingsTests {
    @Test("a full URL is read as psql reads it")
    func fullURL() throws {
        let settings = try PostgresStoreSettings.parse("postgresql://chat@db.example:6543/locator", environment: [:])
        #expect(settings.endpoint == .tcp(host: "db.example", port: 6543))
        #expect(settings.user == "chat")
        #expect(settings.database == "locator")
        #expect(settings.password == nil)
        #expect(settings.tls == .prefer)
        #expect(settings.description == "postgresql://chat@db.example:6543/locator")
    }

    @Test("what the URL leaves out comes from PGHOST, PGPORT, PGUSER, PGDATABASE, PGSSLMODE, then libpq's defaults")
    func environment() throws {
        let environment = ["PGHOST": "10.0.0.5", "PGPORT": "5433", "PGUSER": "svc", "PGDATABASE": "chat", "PGSSLMODE": "require"]
        let fromEnvironment = try PostgresStoreSettings.parse("postgresql://", environment: environment)
        #expect(fromEnvironment == PostgresStoreSettings(endpoint: .tcp(host: "10.0.0.5", port: 5433), user: "svc", database: "chat", tls: .require))
        let urlWins = try PostgresStoreSettings.parse("postgres://me@/mine?sslmode=disable", environment: environment)
        #expect(urlWins.user == "me")
        #expect(urlWins.database == "mine")
        #expect(urlWins.endpoint == .tcp(host: "10.0.0.5", port: 5433))
        #expect(urlWins.tls == .disable)
        let defaults = try PostgresStoreSettings.parse("postgresql://", environment: [:], loginName: "pat")
        #expect(defaults.endpoint == .unixSocket(directory: "/var/run/postgresql", port: 5432))
        #expect(defaults.user == "pat")
        #expect(defaults.database == "pat")
    }

    @Test("a host that starts with / is a Unix socket directory; IPv6 hosts in brackets")
    func hosts() throws {
        let socket = try PostgresStoreSettings.parse("postgresql://u@:7000/d?host=/tmp/pg%20dir", environment: [:])
        #expect(socket.endpoint == .unixSocket(directory: "/tmp/pg dir", port: 7000))
        let escaped = try PostgresStoreSettings.parse("postgresql://u@%2Frun%2Fpg/d", environment: [:])
        #expect(escaped.endpoint == .unixSocket(directory: "/run/pg", port: 5432))
        let v6 = try PostgresStoreSettings.parse("postgresql://u@[::1]:5439/d", environment: [:])
        #expect(v6.endpoint == .tcp(host: "::1", port: 5439))
        #expect(v6.description == "postgresql://u@[::1]:5439/d")
    }

    @Test("a password on the command line is refused, and the error does not repeat it")
    func passwordInURL() throws {
        do {
            _ = try PostgresStoreSettings.parse("postgresql://chat:s3cret@db/locator", environment: [:])
            Issue.record("accepted a password in the URL")
        } catch let error as PostgresStoreSettings.Error {
            #expect(error.description.contains("--store-password-file"))
            #expect(!error.description.contains("s3cret"))
        }
    }

    @Test("bad URLs are one clear error each", arguments: [
        "mysql://u@h/d", "postgresql://u@h:99999/d", "postgresql://u@h:port/d", "postgresql://u@h/d?sslmode=maybe",
        "postgresql://u@h/d?password=x", "postgresql://u@h/d?host=%zz",
    ])
    func badURLs(url: String) throws {
        #expect(throws: PostgresStoreSettings.Error.self) { try PostgresStoreSettings.parse(url, environment: [:]) }
    }

    @Test("the password file: its first line; refused when others may read it or it is empty")
    func passwordFile() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("pgpass").path
            try Data("p@ss word\nsecond line\n".utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            let settings = try PostgresStoreSettings.parse("postgresql://u@h/d", environment: [:], passwordFile: path)
            #expect(settings.password == "p@ss word")
            #expect(!settings.description.contains("p@ss"))

            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            #expect(throws: PostgresStoreSettings.Error(description: "password file \(path) may be read by others; chmod 600 it")) {
                try PostgresStoreSettings.parse("postgresql://u@h/d", environment: [:], passwordFile: path)
            }
            try Data().write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            #expect(throws: PostgresStoreSettings.Error.self) {
                try PostgresStoreSettings.parse("postgresql://u@h/d", environment: [:], passwordFile: path)
            }
            #expect(throws: PostgresStoreSettings.Error.self) {
                try PostgresStoreSettings.parse("postgresql://u@h/d", environment: [:], passwordFile: directory.appendingPathComponent("missing").path)
            }
        }
    }
}
