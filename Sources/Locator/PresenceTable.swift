import ChatWire
import NIOCore
import Synchronization

/// Who is online and where: read by course queries on the event loop under a lock, written by the
/// presence registry (modern logins) and by course logins.
///
/// A course login has no connection that owns it, so it lasts until `logout<id>`, until its
/// time to live runs out, or until newer course logins push it out of the capped table (oldest
/// first).
final class PresenceTable: Sendable {
    private struct Entry {
        var address: PeerAddress
        /// The login's place in `courseOrder`; `nil` for a modern user's presence.
        var courseStamp: UInt64?
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// The course-protocol reply (the bare address) of every online name that is a course id.
        var courseReplies: [UInt64: ByteBuffer] = [:]
        /// Course logins, oldest first; an item whose stamp no longer matches its entry is stale.
        var courseOrder = CircularBuffer<(name: String, stamp: UInt64, at: NIODeadline)>()
        var courseCount = 0
        var nextStamp: UInt64 = 1

        mutating func set(_ name: String, _ entry: Entry) {
            if let old = entries.updateValue(entry, forKey: name), old.courseStamp != nil { courseCount -= 1 }
            if entry.courseStamp != nil { courseCount += 1 }
            if let key = CourseID.key(name.utf8) { courseReplies[key] = ByteBuffer(string: entry.address.host) }
        }

        mutating func remove(_ name: String) -> Bool {
            guard let old = entries.removeValue(forKey: name) else { return false }
            if old.courseStamp != nil { courseCount -= 1 }
            if let key = CourseID.key(name.utf8) { courseReplies[key] = nil }
            return true
        }

        /// Drops course logins from the front while `shouldGo` says so; the names that went offline.
        mutating func dropOldest(while shouldGo: (NIODeadline) -> Bool) -> [String] {
            var gone: [String] = []
            while let first = courseOrder.first {
                guard entries[first.name]?.courseStamp == first.stamp else {
                    courseOrder.removeFirst()
                    continue
                }
                guard shouldGo(first.at) else { break }
                courseOrder.removeFirst()
                if remove(first.name) { gone.append(first.name) }
            }
            return gone
        }

        /// Re-logins leave stale items behind; rebuild when they outnumber the live ones.
        mutating func compactIfNeeded() {
            guard courseOrder.count > 2 * courseCount + 1024 else { return }
            var live = CircularBuffer<(name: String, stamp: UInt64, at: NIODeadline)>(initialCapacity: courseCount)
            for item in courseOrder where entries[item.name]?.courseStamp == item.stamp { live.append(item) }
            courseOrder = live
        }
    }

    private let timeToLive: TimeAmount
    private let maxCourseLogins: Int
    private let state = Mutex(State())

    init(courseTimeToLive: TimeAmount, maxCourseLogins: Int) {
        self.timeToLive = courseTimeToLive
        self.maxCourseLogins = max(1, maxCourseLogins)
    }

    func address(of name: String) -> PeerAddress? {
        state.withLock { $0.entries[name]?.address }
    }

    /// The course query's reply for an online id: its bare address, rendered when it came online.
    func courseReply(for key: UInt64) -> ByteBuffer? {
        state.withLock { $0.courseReplies[key] }
    }

    var count: Int { state.withLock { $0.entries.count } }

    /// A modern user's presence; whether anything changed.
    func setModern(_ name: String, at address: PeerAddress) -> Bool {
        state.withLock { state in
            guard state.entries[name]?.address != address || state.entries[name]?.courseStamp != nil else { return false }
            state.set(name, Entry(address: address, courseStamp: nil))
            return true
        }
    }

    /// The names online through the modern protocol, here or on another replica (not course logins).
    func modernNames() -> [String] {
        state.withLock { state in state.entries.compactMap { $0.value.courseStamp == nil ? $0.key : nil } }
    }

    /// The course logins made on this locator (a course login elsewhere reaches this table as a
    /// modern presence).
    func courseNames() -> [String] {
        state.withLock { state in state.entries.compactMap { $0.value.courseStamp != nil ? $0.key : nil } }
    }

    /// Whether `name` was online.
    func remove(_ name: String) -> Bool {
        state.withLock { $0.remove(name) }
    }

    /// A course login; the names whose presence changed (this one when it is new or moved, and
    /// the oldest course logins pushed out by the cap).
    func courseLogin(_ name: String, at address: PeerAddress, now: NIODeadline = .now()) -> [String] {
        state.withLock { state in
            let moved = state.entries[name]?.address != address
            let stamp = state.nextStamp
            state.nextStamp += 1
            state.set(name, Entry(address: address, courseStamp: stamp))
            state.courseOrder.append((name, stamp, now))
            var remaining = state.courseCount - maxCourseLogins
            var changed = state.dropOldest { _ in
                defer { remaining -= 1 }
                return remaining > 0
            }
            state.compactIfNeeded()
            if moved { changed.append(name) }
            return changed
        }
    }

    /// A course logout: only a course login is ended this way (a modern session's presence is its
    /// own). Whether `name` went offline.
    func courseLogout(_ name: String) -> Bool {
        state.withLock { state in
            guard state.entries[name]?.courseStamp != nil else { return false }
            return state.remove(name)
        }
    }

    /// Ends the course logins older than the time to live; the names that went offline.
    func expireCourseLogins(now: NIODeadline = .now()) -> [String] {
        state.withLock { state in
            let gone = state.dropOldest { loggedIn in now - loggedIn > timeToLive }
            state.compactIfNeeded()
            return gone
        }
    }
}
