import ChatWire
import Logging

extension LocatorClient {
    /// Connects, logs in, advertises and re-watches. `expected` is the state the caller is in; if
    /// `stop()` or a failure changes it meanwhile, the new link is closed and this throws.
    func establishSession(expecting expected: State) async throws -> LoginOutcome {
        let link = try await openLink(expecting: expected)
        do {
            let outcome = try await login(on: link)
            try checkStill(expected, on: link)
            linkReady = true
            if mode == .modern {
                let users = watched.sorted()
                for start in stride(from: 0, to: users.count, by: Limits.maxWatchBatch) {
                    let batch = Array(users[start..<min(start + Limits.maxWatchBatch, users.count)])
                    if case .error(let error) = try await modernExchange(.watch(users: batch), on: link) {
                        logger.warning("the locator refused WATCH", metadata: ["error": "\(error)"])
                    }
                }
                try checkStill(expected, on: link)
            }
            return outcome
        } catch {
            closeLink(link, reason: "login failed")
            throw error
        }
    }

    func checkStill(_ expected: State, on link: Link) throws(Error) {
        guard state == expected else { throw supersededError }
        guard self.link?.id == link.id else {
            throw .connectionLost(locator: locatorName, reason: "the connection closed during login")
        }
    }

    /// LOGIN then ADVERTISE (modern), or `<id>_<password>` (course).
    private func login(on link: Link) async throws -> LoginOutcome {
        switch mode {
        case .modern:
            let outcome: LoginOutcome
            switch try await modernExchange(.login(user: user, password: password), on: link) {
            case .ok(_, let details):
                guard details.count == 2, details[0] == user, let parsed = LoginOutcome(rawValue: details[1]) else {
                    throw Error.protocolViolation("unexpected answer to LOGIN: OK LOGIN \(details.joined(separator: " ").prefix(80))")
                }
                outcome = parsed
            case .error(let error):
                throw loginError(error)
            default:
                throw Error.protocolViolation("the answer to LOGIN is not OK or ERR")  // checked on arrival
            }
            if let advertisement {
                let request = LocatorRequest.advertise(port: advertisement.port, fingerprint: advertisement.fingerprint)
                if case .error(let error) = try await modernExchange(request, on: link) {
                    throw Error.refused(error)
                }
            }
            return outcome
        case .course:
            switch try await courseExchange(.login(id: user, password: password), on: link) {
            case .loggedIn:
                return .welcome
            case .malformed:
                // The course server answers a wrong password like any bad request.
                throw Error.wrongPassword(user: user, locator: locatorName)
            case .incorrectNumber:
                throw Error.notOnRoster(user: user)
            case .address, .offline, .loggedOut:
                throw Error.protocolViolation("the answer to a course login is not lol")  // checked on arrival
            }
        }
    }

    private func loginError(_ error: LocatorError) -> Error {
        switch error.code {
        case .auth: .wrongPassword(user: user, locator: locatorName)
        case .registrationClosed: .registrationClosed(user: user)
        case .invalidName: .invalidUser(user, reason: error.message)
        default: .refused(error)
        }
    }

    /// Logged in (again): tell the world, release the pushes held meanwhile, and (course) poll
    /// every watched user so each gets a fresh `.presence`.
    func becameOnline() async {
        state = .online
        logger.info("logged in at the locator", metadata: ["user": "\(user)", "mode": "\(mode.rawValue)"])
        emit(.connected)
        let held = heldPushes
        heldPushes = []
        for update in held { emit(update) }
        if mode == .course {
            lastPresence = [:]
            await pollCourse(watched.sorted(), forceEmit: true)
        }
    }

    /// The link `id` is gone: fail what waits on it and, if we were online, start reconnecting.
    /// Called once per link at most (later calls for the same id are ignored).
    func linkEnded(_ id: Int, reason: String) {
        guard let link, link.id == id else { return }
        self.link = nil
        linkReady = false
        link.outgoing.finish()
        heldPushes = []
        let waiting = pending
        pending = []
        let failure = Error.connectionLost(locator: locatorName, reason: reason)
        for entry in waiting { entry.waiter?.resume(throwing: failure) }
        guard state == .online else {
            logger.debug("locator connection closed", metadata: ["reason": "\(reason)"])
            return
        }
        logger.notice("lost the locator; reconnecting", metadata: ["reason": "\(reason)"])
        state = .reconnecting
        emit(.disconnected(reason))
        reconnectTask = Task { await self.reconnect() }
    }

    /// Retries with exponential backoff and jitter until logged in again, stopped, or failed.
    private func reconnect() async {
        var delay = timing.initialBackoff
        var attempt = 0
        while state == .reconnecting, !Task.isCancelled {
            try? await Task.sleep(for: delay * Double.random(in: 0.8...1.2))
            guard state == .reconnecting, !Task.isCancelled else { return }
            attempt += 1
            do {
                _ = try await establishSession(expecting: .reconnecting)
                logger.info("reconnected to the locator", metadata: ["attempts": "\(attempt)"])
                await becameOnline()
                return
            } catch let error as Error where error.isFatal {
                fail(error.description)
                return
            } catch {
                logger.debug("reconnect failed", metadata: ["attempt": "\(attempt)", "reason": "\(error)"])
                delay = min(delay * 2, timing.maximumBackoff)
            }
        }
    }

    /// Best effort, bounded by `timing.logoutTimeout`. A course login outlives its connection,
    /// so without a link the course logout is sent on a connection of its own.
    func logOut() async {
        var link = self.link
        if link == nil, mode == .course {
            link = try? await openLink(expecting: .stopped)
        }
        guard let link else { return }
        do {
            switch mode {
            case .modern:
                _ = try await exchange(.modern(.logout), on: link, timeout: timing.logoutTimeout)
            case .course:
                _ = try await exchange(.course(.logout(id: user)), on: link, timeout: timing.logoutTimeout)
            }
            logger.info("logged out of the locator")
        } catch {
            logger.notice("logout not confirmed", metadata: ["reason": "\(error)"])
        }
    }
}
