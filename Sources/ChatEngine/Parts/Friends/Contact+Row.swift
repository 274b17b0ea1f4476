import Foundation
import GRDB

extension Contact {
    /// Decodes `SELECT id, fingerprint, added_at FROM contacts`.
    init(row: Row) throws {
        self.init(
            id: try row.decode(String.self, forColumn: "id"),
            fingerprint: try row.decode(String.self, forColumn: "fingerprint"),
            addedAt: Date(unixMilliseconds: try row.decode(Int64.self, forColumn: "added_at"))
        )
    }
}
