import Foundation
import Locator
import Testing
import TestSupport

/// The store contract on the default store, a SQLite file.
@Suite("SQLiteLocatorStore", .timeLimit(.minutes(1)))
struct SQLiteLocatorStoreTests {
    /// Runs `check` with stores over one fresh file, in directories that do not exist yet.
    func onFreshFile(_ check: (LocatorStoreContract.Open) async throws -> Void) async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("nested/dir/accounts.sqlite").path
            try await check { try SQLiteLocatorStore(path: path) }
        }
    }

    @Test("first login registers, later ones are welcomed, a wrong password is refused")
    func login() async throws { try await onFreshFile(LocatorStoreContract.loginAndRegistration) }

    @Test("without permission to register, a new name is refused and nothing is stored")
    func registrationClosed() async throws { try await onFreshFile(LocatorStoreContract.registrationClosedStoresNothing) }

    @Test("accounts survive closing and opening again; missing parent directories are created")
    func reopening() async throws { try await onFreshFile(LocatorStoreContract.survivesReopening) }

    @Test("two stores over one file register one name at once: one wins, the other is refused")
    func racingRegistrations() async throws { try await onFreshFile(LocatorStoreContract.racingRegistrationsOnTwoStores) }

    @Test("resumption tokens over one file: spent once, by their user only; expired, revoked and pruned ones refused")
    func resumeTokens() async throws { try await onFreshFile(LocatorStoreContract.resumeTokens) }
}
