import Foundation
import GRDB

extension Contact {
    /// The columns `init(row:)` decodes.
    static let columns = "id, fingerprint, added_at, verified, offered_fingerprint"

    /// Decodes `SELECT \(Contact.columns) FROM contacts`.
    init(row: Row) throws {
        self.init(
            id: try row.decode(String.self, forColumn: "id"),
            fingerprint: try row.decode(String.self, forColumn: "fingerprint"),
            addedAt: Date(unixMilliseconds: try row.decode(Int64.self, forColumn: "added_at")),
            verified: try row.decode(Bool.self, forColumn: "verified"),
            offeredFingerprint: try row.decode(String?.self, forColumn: "offered_fingerprint")
        )
    }
}
