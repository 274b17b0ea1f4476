import Foundation
import GRDB

extension FriendRequest {
    /// Decodes `SELECT peer, direction, fingerprint, created_at FROM friend_requests`.
    init(row: Row) throws {
        let direction = try row.decode(String.self, forColumn: "direction")
        guard let decoded = Direction(rawValue: direction) else {
            throw ChatStore.Error.database(operation: "reading friend requests", reason: "unknown direction \(direction)")
        }
        self.init(
            peer: try row.decode(String.self, forColumn: "peer"),
            direction: decoded,
            fingerprint: try row.decode(String.self, forColumn: "fingerprint"),
            createdAt: Date(unixMilliseconds: try row.decode(Int64.self, forColumn: "created_at"))
        )
    }
}
