import ChatWire
import PostgresNIO
import Synchronization

extension PostgresPresenceLog {
    /// Applies the changes after `sequence`, this replica's own among them (marked); the last
    /// sequence read. When the log no longer holds the change after `sequence` (pruned while this
    /// replica was away, or this replica is new) or holds less than it has read (the database lost
    /// its unlogged tables in a crash), it applies the presence table in full instead.
    func catchUp(after sequence: Int64, apply: @Sendable (PresenceUpdate) async -> Void) async throws -> Int64 {
        // One statement, one snapshot: the log's bounds and the rows after `sequence` agree.
        let rows = try await client.query(
            """
            SELECT bounds.lo, bounds.hi, c.seq, c.user_name, c.replica, c.host, c.port, c.fingerprint
            FROM (SELECT min(seq) AS lo, max(seq) AS hi FROM presence_change) bounds
            LEFT JOIN presence_change c ON c.seq > \(sequence)
            ORDER BY c.seq
            """)
        var last = sequence
        var changes: [PresenceChange] = []
        var missed = false
        for try await (lo, hi, seq, user, replica, host, port, fingerprint) in rows.decode(
            (Int64?, Int64?, Int64?, String?, String?, String?, Int?, String?).self)
        {
            if lo.map({ $0 > sequence + 1 }) ?? false || (hi ?? 0) < sequence {
                missed = true
                break
            }
            guard let seq, let user, let replica else { continue }
            last = seq
            changes.append(PresenceChange(
                user: user, address: host.map { PeerAddress(host: $0, port: port, fingerprint: fingerprint) },
                isOwn: replica == self.replica))
        }
        if missed {
            let (online, head) = try await snapshot()
            logger.info("presence log pruned past what this replica read; loaded the presence table",
                        metadata: ["read": "\(sequence)", "online": "\(online.count)"])
            await apply(.snapshot(online))
            readThrough.store(head, ordering: .relaxed)
            return head
        }
        if !changes.isEmpty { await apply(.changes(changes)) }
        readThrough.store(last, ordering: .relaxed)
        return last
    }

    /// Everyone online now, and the last sequence of the log that this state includes.
    private func snapshot() async throws -> ([PresenceChange], Int64) {
        // One statement, one snapshot: appends change the log and the table in one transaction.
        let rows = try await client.query(
            """
            SELECT head.hi, p.user_name, p.replica, p.host, p.port, p.fingerprint
            FROM (SELECT coalesce(max(seq), 0) AS hi FROM presence_change) head
            LEFT JOIN presence p ON true
            """)
        var head: Int64 = 0
        var online: [PresenceChange] = []
        for try await (hi, user, replica, host, port, fingerprint) in rows.decode(
            (Int64, String?, String?, String?, Int?, String?).self)
        {
            head = hi
            guard let user, let replica, let host else { continue }
            online.append(PresenceChange(
                user: user, address: PeerAddress(host: host, port: port, fingerprint: fingerprint), isOwn: replica == self.replica))
        }
        return (online, head)
    }
}
