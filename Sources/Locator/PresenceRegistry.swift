import ChatWire
import Logging

/// Who is online and where, and who watches whom. Lives in memory only: after a restart clients
/// log in again by themselves.
actor PresenceRegistry {
    typealias SessionID = Int

    private struct Session {
        var pushes: AsyncStream<LocatorReply>.Continuation
        var user: String?
        var watching: Set<String> = []
    }

    private var sessions: [SessionID: Session] = [:]
    private var nextSessionID = 1
    /// The reachable users. A course-protocol login has no owning session: it lasts until `logout<id>`.
    private var online: [String: PeerAddress] = [:]
    /// The modern session that owns each logged-in name.
    private var owners: [String: SessionID] = [:]
    private var watchers: [String: Set<SessionID>] = [:]
    /// Users whose connection dropped, and the task that will mark them offline when the grace ends.
    private var graceTimers: [String: Task<Void, Never>] = [:]
    private let grace: Duration
    private let logger: Logger

    init(grace: Duration, logger: Logger) {
        self.grace = grace
        self.logger = logger
    }

    // MARK: Sessions

    func openSession(pushes: AsyncStream<LocatorReply>.Continuation) -> SessionID {
        let id = nextSessionID
        nextSessionID += 1
        sessions[id] = Session(pushes: pushes)
        return id
    }

    /// The connection is gone. Its user stays online for the grace period, in case it reconnects.
    func closeSession(_ id: SessionID) {
        guard let session = sessions.removeValue(forKey: id) else { return }
        session.pushes.finish()
        for user in session.watching { watchers[user]?.remove(id) }
        guard let user = session.user, owners[user] == id else { return }
        owners[user] = nil
        guard online[user] != nil else { return }
        graceTimers[user]?.cancel()
        graceTimers[user] = Task { [grace] in
            try? await Task.sleep(for: grace)
            guard !Task.isCancelled else { return }
            self.graceEnded(for: user)
        }
    }

    private func graceEnded(for user: String) {
        graceTimers[user] = nil
        guard owners[user] == nil else { return }
        setOffline(user)
    }

    // MARK: Modern logins

    /// `session` now owns `user`; a previous session of the same user is told `BYE replaced`.
    func claim(_ user: String, by session: SessionID) {
        if let previous = owners[user], previous != session {
            sessions[previous]?.user = nil
            sessions[previous]?.pushes.yield(.bye(reason: "replaced"))
        }
        owners[user] = session
        sessions[session]?.user = user
        graceTimers.removeValue(forKey: user)?.cancel()
    }

    func advertise(_ address: PeerAddress, for session: SessionID) {
        guard let user = sessions[session]?.user, owners[user] == session else { return }
        setOnline(user, at: address)
    }

    func logout(session: SessionID) {
        guard let user = sessions[session]?.user, owners[user] == session else { return }
        sessions[session]?.user = nil
        owners[user] = nil
        setOffline(user)
    }

    // MARK: Course-protocol logins

    func legacyLogin(_ user: String, host: String) {
        setOnline(user, at: PeerAddress(host: host, port: nil, fingerprint: nil))
    }

    func legacyLogout(_ user: String) {
        guard owners[user] == nil else { return }  // a modern session's presence is its own
        setOffline(user)
    }

    // MARK: Queries and watches

    func address(of user: String) -> PeerAddress? {
        online[user]
    }

    /// Starts pushing `users`' presence to `session`, beginning with their state now.
    func watch(_ users: [String], by session: SessionID) {
        guard sessions[session] != nil else { return }
        for user in users {
            watchers[user, default: []].insert(session)
            sessions[session]?.watching.insert(user)
            sessions[session]?.pushes.yield(.presence(user, online[user]))
        }
    }

    func unwatch(_ users: [String], by session: SessionID) {
        for user in users {
            watchers[user]?.remove(session)
            sessions[session]?.watching.remove(user)
        }
    }

    var onlineCount: Int { online.count }

    // MARK: Changes

    private func setOnline(_ user: String, at address: PeerAddress) {
        guard online[user] != address else { return }
        online[user] = address
        logger.info("online", metadata: ["user": "\(user)", "host": "\(address.host)"])
        notifyWatchers(of: user)
    }

    private func setOffline(_ user: String) {
        graceTimers.removeValue(forKey: user)?.cancel()
        guard online.removeValue(forKey: user) != nil else { return }
        logger.info("offline", metadata: ["user": "\(user)"])
        notifyWatchers(of: user)
    }

    private func notifyWatchers(of user: String) {
        for watcher in watchers[user] ?? [] {
            sessions[watcher]?.pushes.yield(.presence(user, online[user]))
        }
    }
}
