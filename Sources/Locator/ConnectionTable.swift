import NIOCore
import Synchronization

/// Every open connection, from accept to close: the global and per-address caps, and which
/// connection has been idle longest when a newcomer needs its place.
///
/// At a cap the newcomer is served and the connection idle longest (by its last well-formed
/// request) is closed, so connections that hold a slot without using it cannot lock others out.
final class ConnectionTable: Sendable {
    private struct Entry {
        let channel: any Channel
        let host: String
        let activity: ConnectionActivity
    }

    private struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        /// Each address's connections, so a per-address eviction looks at at most that cap.
        var byHost: [String: [ObjectIdentifier]] = [:]

        mutating func remove(_ key: ObjectIdentifier) -> Entry? {
            guard let entry = entries.removeValue(forKey: key) else { return nil }
            byHost[entry.host]?.removeAll { $0 == key }
            if byHost[entry.host]?.isEmpty == true { byHost[entry.host] = nil }
            return entry
        }

        func idlest(among keys: some Sequence<ObjectIdentifier>) -> ObjectIdentifier? {
            var best: (key: ObjectIdentifier, last: Int64)?
            for key in keys {
                guard let last = entries[key]?.activity.lastRequestNanoseconds else { continue }
                if best == nil || last < best!.last { best = (key, last) }
            }
            return best?.key
        }
    }

    let maxConnections: Int
    let maxPerAddress: Int
    private let state = Mutex(State())

    init(maxConnections: Int, maxPerAddress: Int) {
        self.maxConnections = max(1, maxConnections)
        self.maxPerAddress = max(1, maxPerAddress)
    }

    /// Takes in `channel`; returns the connections closed to make room for it (already out of the table).
    func admit(_ channel: any Channel, host: String, activity: ConnectionActivity) -> [any Channel] {
        let key = ObjectIdentifier(channel)
        let evicted: [any Channel] = state.withLock { state in
            var evicted: [any Channel] = []
            if let mine = state.byHost[host], mine.count >= maxPerAddress,
                let victim = state.idlest(among: mine), let entry = state.remove(victim)
            {
                evicted.append(entry.channel)
            }
            if state.entries.count >= maxConnections, let victim = state.idlest(among: state.entries.keys),
                let entry = state.remove(victim)
            {
                evicted.append(entry.channel)
            }
            state.entries[key] = Entry(channel: channel, host: host, activity: activity)
            state.byHost[host, default: []].append(key)
            return evicted
        }
        channel.closeFuture.whenComplete { _ in
            _ = self.state.withLock { $0.remove(key) }
        }
        return evicted
    }

    var count: Int { state.withLock { $0.entries.count } }

    var all: [any Channel] { state.withLock { $0.entries.values.map(\.channel) } }

    /// The connections idle longer than `idleTimeout`, whose unfinished request is older than
    /// `requestTimeout`, or whose replies have not been going out for longer than `idleTimeout`;
    /// each with whether its replies are stalled now (its client does not read).
    func overdue(now: NIODeadline, idleTimeout: TimeAmount, requestTimeout: TimeAmount) -> [(channel: any Channel, stalled: Bool)] {
        let now = Int64(now.uptimeNanoseconds)
        return state.withLock { state in
            state.entries.values.compactMap { entry in
                entry.activity.isOverdue(now: now, idleTimeout: idleTimeout.nanoseconds, requestTimeout: requestTimeout.nanoseconds)
                    ? (entry.channel, entry.activity.isStalled) : nil
            }
        }
    }
}
