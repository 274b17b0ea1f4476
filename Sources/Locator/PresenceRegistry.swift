import ChatWire
import Logging

/// Modern sessions, who watches whom, and the grace period after a drop. Who is online lives in
/// the `PresenceTable`, which course queries read without coming here. Memory only: after a
/// restart clients log in again by themselves.
actor PresenceRegistry {
    typealias SessionID = Int

    /// Sends a line to a session's connection, from any thread.
    typealias Push = @Sendable (LocatorReply) -> Void

    private struct Session {
        var push: Push
        var user: String?
        var watching: Set<String> = []
        /// What `CANDIDATES` published; gone with the session.
        var candidates: [PeerCandidate] = []
    }

    private var sessions: [SessionID: Session] = [:]
    nonisolated let table: PresenceTable
    /// The modern session that owns each logged-in name.
    private var owners: [String: SessionID] = [:]
    private var watchers: [String: Set<SessionID>] = [:]
    /// Users whose connection dropped, and the task that will mark them offline when the grace ends.
    private var graceTimers: [String: Task<Void, Never>] = [:]
    private let grace: Duration
    private let logger: Logger
    /// Where this replica's changes go for the others to see; `nil` when the locator is alone.
    private var shared: PostgresPresenceLog?
    /// Users whose local session's "online" has been read back from the shared log.
    private var loggedClaims: Set<String> = []
    /// This replica's users (a session, a grace period) whom a snapshot showed on another
    /// replica, until the shared log says who holds them: each with the others' latest change of
    /// her, what she is shown as if she yields.
    private var contested: [String: PresenceChange] = [:]

    init(table: PresenceTable, grace: Duration, logger: Logger) {
        self.table = table
        self.grace = grace
        self.logger = logger
    }

    /// Shares presence with the other replicas over `store`'s database.
    func share(through store: PostgresLocatorStore) {
        shared = store.presence
        store.sharePresence(
            apply: { [weak self] update in
                switch update {
                case .changes(let changes): await self?.applyRemote(changes)
                case .snapshot(let online): await self?.applySnapshot(online)
                case .contested(let users, let elsewhere): await self?.settleContest(users, elsewhere: elsewhere)
                }
            },
            republish: { [weak self] in await self?.ownUsers() ?? [] })
    }

    /// Everyone this replica shows online by its own doing: its sessions, those in their grace
    /// period, its course logins; with their addresses. What a replica that was swept as dead
    /// (paused longer than its lease) publishes again when it comes back.
    private func ownUsers() -> [PresenceChange] {
        let users = Set(owners.keys).union(graceTimers.keys).union(table.courseNames())
        return users.sorted().compactMap { user in
            table.address(of: user).map { PresenceChange(user: user, address: $0) }
        }
    }

    /// Who is online on every replica, in full, when this one cannot know what it missed: the
    /// others' users take the state it shows; one shown nowhere, and not this replica's own (a
    /// session, its grace, a course login), is offline.
    ///
    /// One of this replica's own shown on another replica is contested: her login there may be
    /// newer (she moved while this replica was swept as dead), or older than one of hers here
    /// still queued. The log looks her up after this replica's queued changes
    /// (`settleContest`); meanwhile she stays here.
    private func applySnapshot(_ online: [PresenceChange]) {
        var shown = Set<String>()
        var contest: [String] = []
        for change in online {
            shown.insert(change.user)
            if owners[change.user] != nil || graceTimers[change.user] != nil {
                if change.isOwn {
                    if owners[change.user] != nil { loggedClaims.insert(change.user) }
                    contested[change.user] = nil
                } else {
                    contested[change.user] = change
                    contest.append(change.user)
                }
                continue
            }
            if let address = change.address, table.setModern(change.user, at: address) { notifyWatchers(of: change.user) }
        }
        for user in table.modernNames() where !shown.contains(user) && owners[user] == nil && graceTimers[user] == nil {
            if table.remove(user) { notifyWatchers(of: user) }
        }
        // Contested before, and now shown nowhere: she went offline there.
        for user in contested.keys where !shown.contains(user) {
            contested[user] = PresenceChange(user: user, address: nil)
        }
        shared?.contest(contest)
    }

    /// Who holds the contested `users`, once this replica's changes queued before the contest are
    /// in: another replica, for those in `elsewhere`, so their login there is newer than this
    /// replica's; the session here is told `BYE replaced` (a grace period ends), and the user is
    /// shown as the others last changed her. The rest stay here.
    private func settleContest(_ users: [String], elsewhere: Set<String>) {
        for user in users {
            // Not contested any more: she logged in here again since, or the log moved her.
            guard let latest = contested.removeValue(forKey: user), elsewhere.contains(user) else { continue }
            guard owners[user] != nil || graceTimers[user] != nil else { continue }
            logger.info("a newer login on another replica replaces the session here", metadata: ["user": "\(user)"])
            releaseOwner(of: user, saying: "replaced")
            showRemote(latest)
        }
    }

    /// The shared log's changes, in its order. A newer login elsewhere replaces a session here
    /// (`BYE replaced`), an older one does not: a local session's login is older than a remote
    /// change only once its own change has been read back from the log before it.
    private func applyRemote(_ changes: [PresenceChange]) {
        for change in changes {
            if change.isOwn {
                if change.address != nil, owners[change.user] != nil { loggedClaims.insert(change.user) }
                continue
            }
            if owners[change.user] != nil {
                // Contested: the others' latest, shown if the user yields.
                if contested[change.user] != nil { contested[change.user] = change }
                // An older "online" from elsewhere, or an "offline": this session's login stands.
                guard change.address != nil, loggedClaims.contains(change.user) else { continue }
                releaseOwner(of: change.user, saying: "replaced")
            }
            showRemote(change)
        }
    }

    /// Shows `change`, another replica's, as the user's state here: she is no longer this
    /// replica's (her grace period, a contest, end).
    private func showRemote(_ change: PresenceChange) {
        graceTimers.removeValue(forKey: change.user)?.cancel()
        contested[change.user] = nil
        let changed = if let address = change.address {
            table.setModern(change.user, at: address)
        } else {
            table.remove(change.user)
        }
        if changed { notifyWatchers(of: change.user) }
    }

    /// Ends the local session's hold on `user`, telling it `BYE reason`.
    private func releaseOwner(of user: String, saying reason: String) {
        guard let owner = owners.removeValue(forKey: user) else { return }
        loggedClaims.remove(user)
        contested[user] = nil
        sessions[owner]?.user = nil
        sessions[owner]?.push(.bye(reason: reason))
    }

    // MARK: Sessions

    /// A new connection, whose id `ModernService.newSessionID()` gave.
    func openSession(_ id: SessionID, push: @escaping Push) {
        sessions[id] = Session(push: push)
    }

    /// The connection is gone. Its user stays online for the grace period, in case it reconnects.
    func closeSession(_ id: SessionID) {
        guard let session = sessions.removeValue(forKey: id) else { return }
        for user in session.watching { watchers[user]?.remove(id) }
        guard let user = session.user, owners[user] == id else { return }
        owners[user] = nil
        loggedClaims.remove(user)
        guard table.address(of: user) != nil else { return }
        graceTimers[user]?.cancel()
        // Who ends it: the grace running out, or a cancel (here, when the user logs in again, or
        // when the user goes offline). It holds nothing but a name, for seconds.
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

    /// Tells every modern session why its connection is about to close (each closes once told).
    func sayGoodbye(reason: String) {
        for session in sessions.values { session.push(.bye(reason: reason)) }
    }

    // MARK: Modern logins

    /// `session` now owns `user`; a previous session of the same user is told `BYE replaced`.
    func claim(_ user: String, by session: SessionID) {
        if let previous = owners[user], previous != session {
            sessions[previous]?.user = nil
            sessions[previous]?.push(.bye(reason: "replaced"))
        }
        owners[user] = session
        loggedClaims.remove(user)
        // A login here is newer than whatever a snapshot showed elsewhere.
        contested[user] = nil
        sessions[session]?.user = user
        graceTimers.removeValue(forKey: user)?.cancel()
    }

    func advertise(_ address: PeerAddress, for session: SessionID) {
        guard let user = sessions[session]?.user, owners[user] == session else { return }
        setOnline(user, at: address)
    }

    func publish(_ candidates: [PeerCandidate], for session: SessionID) {
        sessions[session]?.candidates = candidates
    }

    /// The candidates the session that owns `user` published.
    func candidates(of user: String) -> [PeerCandidate] {
        owners[user].flatMap { sessions[$0]?.candidates } ?? []
    }

    func logout(session: SessionID) {
        guard let user = sessions[session]?.user, owners[user] == session else { return }
        sessions[session]?.user = nil
        owners[user] = nil
        loggedClaims.remove(user)
        setOffline(user)
    }

    // MARK: Course-protocol logins

    /// Course logins, logouts and expiries change the table directly; this tells the watchers.
    func presenceChanged(_ users: [String]) {
        for user in users {
            logger.info(table.address(of: user) == nil ? "offline" : "online", metadata: ["user": "\(user)"])
            notifyWatchers(of: user)
            shared?.publish(PresenceChange(user: user, address: table.address(of: user)))
        }
    }

    // MARK: Queries and watches

    nonisolated func address(of user: String) -> PeerAddress? {
        table.address(of: user)
    }

    /// Starts pushing `users`' presence to `session`, beginning with their state now.
    func watch(_ users: [String], by session: SessionID) {
        guard sessions[session] != nil else { return }
        for user in users {
            watchers[user, default: []].insert(session)
            sessions[session]?.watching.insert(user)
            sessions[session]?.push(.presence(user, table.address(of: user)))
        }
    }

    func unwatch(_ users: [String], by session: SessionID) {
        for user in users {
            watchers[user]?.remove(session)
            sessions[session]?.watching.remove(user)
        }
    }

    nonisolated var onlineCount: Int { table.count }

    // MARK: Changes

    private func setOnline(_ user: String, at address: PeerAddress) {
        guard table.setModern(user, at: address) else { return }
        logger.info("online", metadata: ["user": "\(user)", "host": "\(address.host)"])
        notifyWatchers(of: user)
        shared?.publish(PresenceChange(user: user, address: address))
    }

    private func setOffline(_ user: String) {
        graceTimers.removeValue(forKey: user)?.cancel()
        contested[user] = nil
        guard table.remove(user) else { return }
        logger.info("offline", metadata: ["user": "\(user)"])
        notifyWatchers(of: user)
        shared?.publish(PresenceChange(user: user, address: nil))
    }

    private func notifyWatchers(of user: String) {
        for watcher in watchers[user] ?? [] {
            sessions[watcher]?.push(.presence(user, table.address(of: user)))
        }
    }
}
