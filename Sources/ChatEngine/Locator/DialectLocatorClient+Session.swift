import ChatIdentity
import Logging
import NIOCore

extension DialectLocatorClient {
    var isConnected: Bool {
        state.phase == .online && state.linkReady
    }

    @discardableResult
    func start(peerPort: Int, fingerprint: ChatIdentity.Fingerprint) async throws -> LoginOutcome {
        switch state.phase {
        case .idle: break
        case .stopped: throw LocatorClientError.stopped
        case .failed(let reason): throw LocatorClientError.failed(reason)
        case .starting, .online, .reconnecting: throw LocatorClientError.alreadyStarted
        }
        let password = setup.password
        if password.isEmpty { throw LocatorClientError.invalidPassword("it is empty") }
        if password.contains(where: { $0.isNewline || $0 == "\0" }) {
            throw LocatorClientError.invalidPassword("it contains a line break or a NUL character")
        }
        try prepare(peerPort: peerPort, fingerprint: fingerprint)
        state.phase = .starting
        do {
            let outcome = try await establishOnAnyReplica(expecting: .starting)
            await becameOnline()
            return outcome
        } catch {
            if state.phase == .starting { state.phase = .idle }
            throw error
        }
    }

    func stop() async {
        let previous = state.phase
        switch previous {
        case .stopped: return
        case .failed: return  // already closed, and `updates` already finished
        case .idle, .starting, .online, .reconnecting: break
        }
        state.phase = .stopped
        state.handshaking?.close(promise: nil)
        state.reconnectWork?.cancel()
        if previous == .online || previous == .reconnecting {
            await logOut()
        }
        if let link = state.link { closeLink(link, reason: "stopped") }
        await state.linkWork?.finished()
        logger.info("locator client stopped")
        updateSink.finish()
    }

    func emit(_ update: Update) {
        updateSink.yield(update)
    }

    /// The current link if requests may use it, or the error that explains why not.
    func readyLink() throws(LocatorClientError) -> LocatorLink {
        switch state.phase {
        case .online:
            guard state.linkReady, let link = state.link else { throw .notConnected(locator: locatorName) }
            return link
        case .idle: throw .notStarted
        case .starting, .reconnecting: throw .notConnected(locator: locatorName)
        case .stopped: throw .stopped
        case .failed(let reason): throw .failed(reason)
        }
    }

    /// The error for an operation overtaken by `stop()`, a failure, or a newer connection.
    var supersededError: LocatorClientError {
        switch state.phase {
        case .stopped: .stopped
        case .failed(let reason): .failed(reason)
        default: .connectionLost(locator: locatorName, reason: "a newer connection replaced it")
        }
    }

    /// Gives up for good: the problem is one that retrying cannot fix.
    func fail(_ reason: String) {
        switch state.phase {
        case .stopped, .failed: return
        default: break
        }
        logger.error("locator client gave up", metadata: ["reason": "\(reason)"])
        state.phase = .failed(reason)
        state.reconnectWork?.cancel()
        if let link = state.link { closeLink(link, reason: reason) }
        emit(.failed(reason))
        updateSink.finish()
    }

    // MARK: Watched users

    /// Adds the users not watched yet whose names are valid in this dialect (the others are
    /// skipped with a warning), and returns them.
    func addToWatched(_ users: some Sequence<String>, validName: (String) -> Bool) -> [String] {
        var added: [String] = []
        for user in users where !state.watched.contains(user) && !added.contains(user) {
            guard validName(user) else {
                logger.warning("not watching an invalid user name", metadata: ["user": "\(user.prefix(40))"])
                continue
            }
            added.append(user)
        }
        state.watched.formUnion(added)
        return added
    }

    /// Removes the users that were watched, with their held pushes, and returns them.
    func removeFromWatched(_ users: some Sequence<String>) -> [String] {
        var removed: [String] = []
        for user in users where state.watched.remove(user) != nil {
            removed.append(user)
        }
        guard !removed.isEmpty else { return [] }
        state.heldPushes.removeAll { update in
            if case .presence(let user, _) = update { removed.contains(user) } else { false }
        }
        return removed
    }

    // MARK: Logging in and staying logged in

    /// Connects to `endpoint`, logs in, advertises and re-watches. `expected` is the phase the
    /// caller is in; if `stop()` or a failure changes it meanwhile, the new link is closed and
    /// this throws.
    func establishSession(expecting expected: LocatorClientPhase, at endpoint: LocatorEndpoint) async throws -> LoginOutcome {
        let link = try await openLink(expecting: expected, to: endpoint)
        do {
            let outcome = try await logIn(on: link)
            try checkStill(expected, on: link)
            state.linkReady = true
            try await resumeWatching(on: link)
            try checkStill(expected, on: link)
            return outcome
        } catch {
            closeLink(link, reason: "login failed")
            throw error
        }
    }

    func checkStill(_ expected: LocatorClientPhase, on link: LocatorLink) throws(LocatorClientError) {
        guard state.phase == expected else { throw supersededError }
        guard state.link?.id == link.id else {
            throw .connectionLost(locator: locatorName, reason: "the connection closed during login")
        }
    }

    /// Logged in (again): tell the world, release the pushes held meanwhile, and let the dialect
    /// catch up on presence.
    func becameOnline() async {
        state.phase = .online
        logger.info(
            "logged in at the locator",
            metadata: ["user": "\(user)", "mode": "\(Self.mode.rawValue)", "at": "\(state.endpoint?.name ?? "?")"])
        if let endpoint = state.endpoint {
            if let before = state.onlineAt, before != endpoint { emit(.moved(to: endpoint.name)) }
            state.onlineAt = endpoint
        }
        emit(.connected)
        let held = state.heldPushes
        state.heldPushes = []
        for update in held { emit(update) }
        await didComeOnline()
    }

    /// The link `id` is gone: fail what waits on it and, if we were online, start reconnecting.
    /// Called once per link at most (later calls for the same id are ignored).
    func linkEnded(_ id: Int, reason: String) {
        guard let link = state.link, link.id == id else { return }
        state.link = nil
        state.linkReady = false
        link.outgoing.finish()
        state.heldPushes = []
        let waiting = state.pending
        state.pending = []
        let failure = LocatorClientError.connectionLost(locator: locatorName, reason: reason)
        for entry in waiting { entry.waiter?.resume(throwing: failure) }
        guard state.phase == .online else {
            logger.debug("locator connection closed", metadata: ["reason": "\(reason)"])
            return
        }
        logger.notice("lost the locator; reconnecting", metadata: ["reason": "\(reason)"])
        state.phase = .reconnecting
        emit(.disconnected(reason))
        // Who ends it: coming online again, a fatal failure, `stop()`, which cancels it, or the
        // end of the session it runs in.
        state.reconnectWork = setup.host.start { await self.reconnect() }
    }

    /// Retries until logged in again, stopped, or failed: each round tries every replica once,
    /// starting with the one after the replica that was lost. The first round waits a random
    /// time within `reconnectSpread`, so that the clients of a replica that died arrive at the
    /// others spread out, not in one instant; later rounds back off exponentially, with jitter.
    private func reconnect() async {
        var backoff = Backoff(first: timing.initialBackoff, cap: timing.maximumBackoff)
        var wait = timing.reconnectSpread * Double.random(in: 0...1)
        var round = 0
        while state.phase == .reconnecting, !Task.isCancelled {
            try? await Task.sleep(for: wait)
            guard state.phase == .reconnecting, !Task.isCancelled else { return }
            round += 1
            do {
                _ = try await establishOnAnyReplica(expecting: .reconnecting)
                logger.info("reconnected to the locator", metadata: ["rounds": "\(round)"])
                await becameOnline()
                return
            } catch let error as LocatorClientError where error.isFatal {
                fail(error.description)
                return
            } catch {
                logger.debug("reconnect failed", metadata: ["round": "\(round)", "reason": "\(error)"])
                wait = backoff.next()
            }
        }
    }

    /// Best effort, bounded by `timing.logoutTimeout`.
    private func logOut() async {
        guard let link = await logoutLink() else { return }
        do {
            _ = try await exchange(logoutRequest, on: link, timeout: timing.logoutTimeout)
            logger.info("logged out of the locator")
        } catch {
            logger.notice("logout not confirmed", metadata: ["reason": "\(error)"])
        }
    }
}
