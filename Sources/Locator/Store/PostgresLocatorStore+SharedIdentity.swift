import Foundation
import NIOCore
import PostgresNIO

extension PostgresLocatorStore {
    /// The service's sealed identity and its fingerprint: the one in the database, or, when there
    /// is none yet, `candidate`, written in the same statement. Replicas starting at once each
    /// offer their own; the primary key keeps the first, and every replica reads that one back.
    func sharedIdentity(offering candidate: (sealed: Data, fingerprint: String)) async throws -> (sealed: Data, fingerprint: String) {
        let sealed = ByteBuffer(bytes: candidate.sealed)
        return try await request("reading the shared identity") { client in
            _ = try await client.query(
                """
                INSERT INTO locator_identity (id, sealed, fingerprint) VALUES (1, \(sealed), \(candidate.fingerprint))
                ON CONFLICT (id) DO NOTHING
                """)
            let rows = try await client.query("SELECT sealed, fingerprint FROM locator_identity WHERE id = 1")
            for try await (stored, fingerprint) in rows.decode((ByteBuffer, String).self) {
                return (Data(stored.readableBytesView), fingerprint)
            }
            throw StoreUnavailable(description: "the shared identity vanished as it was written")
        }
    }
}
