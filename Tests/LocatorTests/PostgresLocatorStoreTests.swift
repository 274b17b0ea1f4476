import Foundation
import Locator
import Testing
import TestSupport

/// The store contract on PostgreSQL, on a server the test starts itself; and what only a store
/// behind a network can meet: versions of its schema, a server that is not there, a wrong password.
@Suite(
    "PostgresLocatorStore", .serialized, .timeLimit(.minutes(3)),
    .enabled(if: TestPostgres.isAvailable, "\(TestPostgres.unavailableReason ?? "")"))
struct PostgresLocatorStoreTests {
    static let logger = TestLocator.logger

    /// Runs `check` with stores over one fresh database of a fresh server.
    func onFreshDatabase(_ check: (LocatorStoreContract.Open) async throws -> Void) async throws {
        try await withTestPostgres { postgres in
            let settings = postgres.settings()
            try await check { try await PostgresLocatorStore.open(settings, logger: Self.logger) }
        }
    }

    @Test("first login registers, later ones are welcomed, a wrong password is refused")
    func login() async throws { try await onFreshDatabase(LocatorStoreContract.loginAndRegistration) }

    @Test("without permission to register, a new name is refused and nothing is stored")
    func registrationClosed() async throws { try await onFreshDatabase(LocatorStoreContract.registrationClosedStoresNothing) }

    @Test("accounts survive closing and opening again")
    func reopening() async throws { try await onFreshDatabase(LocatorStoreContract.survivesReopening) }

    @Test("two stores over one database register one name at once: one wins, the other is refused")
    func racingRegistrations() async throws { try await onFreshDatabase(LocatorStoreContract.racingRegistrationsOnTwoStores) }

    @Test("resumption tokens over one database: spent once, by their user only; expired, revoked and pruned ones refused")
    func resumeTokens() async throws { try await onFreshDatabase(LocatorStoreContract.resumeTokens) }

    @Test("the schema is versioned: opening migrates once, opening again adds nothing, a newer schema is refused")
    func migrations() async throws {
        try await withTestPostgres { postgres in
            let settings = postgres.settings()
            try await PostgresLocatorStore.open(settings, logger: Self.logger).close()
            try await PostgresLocatorStore.open(settings, logger: Self.logger).close()
            #expect(try postgres.psql("SELECT string_agg(version || ':' || name, ',' ORDER BY version) FROM locator_schema") == "1:accounts,2:presence change log,3:replica heartbeats,4:presence table and log pruning,5:shared identity,6:resume tokens")

            try postgres.psql("INSERT INTO locator_schema (version, name) VALUES (999, 'from the future')")
            do {
                try await PostgresLocatorStore.open(settings, logger: Self.logger).close()
                Issue.record("opened a database whose schema is newer than this locator's")
            } catch let error as AccountStore.Error {
                #expect(error.description.contains("999"))
                #expect(error.description.contains("upgrade the locator"))
            }
        }
    }

    @Test("a server that is not there is a clear error naming the URL, soon")
    func unreachable() async throws {
        try await withTestPostgres { postgres in
            let settings = postgres.settings()
            postgres.stopServer()
            do {
                try await PostgresLocatorStore.open(settings, logger: Self.logger).close()
                Issue.record("opened a store on a stopped server")
            } catch let error as AccountStore.Error {
                #expect(error.description.contains(settings.description))
                #expect(!error.description.contains(TestPostgres.password))
            }
        }
    }

    @Test("a wrong password is refused with the server's reason, and the password is not shown")
    func wrongPassword() async throws {
        try await withTestPostgres { postgres in
            var settings = postgres.settings()
            settings.password = "not-the-password"
            do {
                try await PostgresLocatorStore.open(settings, logger: Self.logger).close()
                Issue.record("logged in to PostgreSQL with a wrong password")
            } catch let error as AccountStore.Error {
                #expect(error.description.contains("password authentication failed"))
                #expect(!error.description.contains("not-the-password"))
            }
        }
    }

    @Test("a pool the server cannot hold is refused at start in one line naming both numbers; the default fits four times")
    func poolTooLarge() async throws {
        try await withTestPostgres { postgres in
            var settings = postgres.settings()
            settings.poolSize = 100
            do {
                try await PostgresLocatorStore.open(settings, logger: Self.logger).close()
                Issue.record("opened a store whose pool cannot fit in max_connections")
            } catch let error as AccountStore.Error {
                #expect(error.description.contains("--store-pool-size 100 needs 101 connections"), "\(error)")
                #expect(error.description.contains("max_connections 100 less 3 reserved"), "\(error)")
                #expect(!error.description.contains("\n"))
            }
            #expect(4 * PostgresStoreSettings(endpoint: .tcp(host: "h", port: 1), user: "u", database: "d").connectionsPerReplica <= 97)
            try await PostgresLocatorStore.open(postgres.settings(), logger: Self.logger).close()
        }
    }

    @Test("over the Unix socket, from PGHOST-style settings")
    func unixSocket() async throws {
        try await withTestPostgres { postgres in
            let settings = try PostgresStoreSettings.parse(
                "postgresql://", environment: [
                    "PGHOST": postgres.socketDirectory, "PGPORT": String(postgres.port), "PGUSER": TestPostgres.user,
                    "PGDATABASE": "postgres",
                ])
            try await LocatorStoreContract.loginAndRegistration { try await PostgresLocatorStore.open(settings, logger: Self.logger) }
        }
    }
}
