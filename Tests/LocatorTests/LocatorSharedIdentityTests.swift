import ChatIdentity
import Foundation
import Locator
import Testing
import TestSupport

/// Replicas over one PostgreSQL given the same `--store-key-file` present one TLS identity, kept
/// sealed in the database; without the key it cannot be read from there.
@Suite(
    "LocatorServer: one identity for the replicas", .serialized, .timeLimit(.minutes(3)),
    .enabled(if: TestPostgres.isAvailable, "\(TestPostgres.unavailableReason ?? "")"))
struct LocatorSharedIdentityTests {
    static let serviceKey = SharedIdentityKey(secret: Data("the service's key, 32 characters or more".utf8))

    static func replica(
        _ name: String, in directory: URL, over postgres: TestPostgres, key: SharedIdentityKey? = serviceKey
    ) async throws -> TestLocator {
        try await TestLocator.start(in: directory.appendingPathComponent(name)) {
            $0.postgres = postgres.settings()
            $0.identityKey = key
        }
    }

    @Test("two replicas started at once end up with one identity, which a restart keeps and the database holds only sealed")
    func startedAtOnce() async throws {
        try await withTestPostgres { postgres in
            try await withTemporaryDirectory(prefix: "p2pchat-shared-identity") { root in
                async let first = Self.replica("a", in: root, over: postgres)
                async let second = Self.replica("b", in: root, over: postgres)
                let (a, b) = try await (first, second)
                #expect(a.fingerprint == b.fingerprint)
                #expect(try postgres.psql("SELECT count(*) FROM locator_identity") == "1")
                #expect(try postgres.psql("SELECT fingerprint FROM locator_identity") == a.fingerprint.hex)
                let sealed = try postgres.psql("SELECT encode(sealed, 'escape') FROM locator_identity")
                #expect(!sealed.contains("PRIVATE KEY") && !sealed.contains("CERTIFICATE"), "stored in clear")
                // Neither wrote an identity file of its own.
                #expect(!FileManager.default.fileExists(atPath: a.configuration.identityPath.path))
                await a.stop()
                await b.stop()

                let again = try await Self.replica("c", in: root, over: postgres)
                #expect(again.fingerprint == a.fingerprint)
                await again.stop()
            }
        }
    }

    @Test("a replica with another key refuses to start, with a clear error that shows no key")
    func anotherKey() async throws {
        try await withTestPostgres { postgres in
            try await withTemporaryDirectory(prefix: "p2pchat-shared-identity") { root in
                let first = try await Self.replica("a", in: root, over: postgres)
                let wrong = SharedIdentityKey(secret: Data("another key, also 32 characters or more".utf8))
                let error = await #expect(throws: LocatorConfiguration.IdentityError.self) {
                    try await Self.replica("b", in: root, over: postgres, key: wrong)
                }
                let text = error.map { "\($0)" } ?? ""
                #expect(text.contains("does not open the identity") && text.contains(first.fingerprint.hex), "\(text)")
                await first.stop()
            }
        }
    }
}
