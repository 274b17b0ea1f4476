import ChatWire
import Logging

extension ModernLocatorClient {
    /// RESUME with the token held from the last connection, else (or when it is refused) LOGIN,
    /// which registers a new name; then ADVERTISE, CANDIDATES, and TOKEN for the next time.
    func logIn(on link: LocatorLink) async throws -> LoginOutcome {
        let outcome: LoginOutcome
        if let resumed = try await resume(on: link) {
            outcome = resumed
        } else {
            outcome = try await loginOutcome(try await exchange(.login(user: user, password: setup.password), on: link), to: "LOGIN")
        }
        if let advertisement {
            let request = LocatorRequest.advertise(port: advertisement.port, fingerprint: advertisement.fingerprint)
            if case .error(let error) = try await exchange(request, on: link) {
                throw LocatorClientError.refused(error)
            }
        }
        if !candidates.isEmpty, case .error(let error) = try await exchange(.candidates(candidates), on: link) {
            logger.warning("the locator refused CANDIDATES", metadata: ["error": "\(error)"])
        }
        // The answer is kept by `handleIncoming`; a locator without TOKEN only costs the next
        // login a password hash.
        if case .error(let error) = try await exchange(.token, on: link) {
            logger.debug("no resumption token from the locator", metadata: ["error": "\(error)"])
        }
        return outcome
    }

    /// Spends the held resumption token: the outcome when the locator takes it, nil when there is
    /// none or the locator refuses it (the password is next).
    private func resume(on link: LocatorLink) async throws -> LoginOutcome? {
        guard let held = resumeToken else { return nil }
        let reply = try await exchange(.resume(user: user, token: held.token), on: link)
        if case .error(let error) = reply, [.auth, .unknownCommand, .syntax].contains(error.code) {
            resumeToken = nil
            logger.info("resumption token refused; logging in with the password", metadata: ["reason": "\(error.message)"])
            return nil
        }
        let outcome = try await loginOutcome(reply, to: "RESUME")
        resumeToken = nil  // spent
        return outcome
    }

    /// The outcome in `OK <verb> <user> <outcome>`, or the error an `ERR` means.
    private func loginOutcome(_ reply: LocatorReply, to verb: String) async throws -> LoginOutcome {
        switch reply {
        case .ok(_, let details):
            guard details.count == 2, details[0] == user, let parsed = LoginOutcome(rawValue: details[1]) else {
                throw LocatorClientError.protocolViolation("unexpected answer to \(verb): OK \(verb) \(details.joined(separator: " ").prefix(80))")
            }
            return parsed
        case .error(let error):
            throw loginError(error)
        default:
            throw LocatorClientError.protocolViolation("the answer to \(verb) is not OK or ERR")  // checked on arrival
        }
    }

    private func loginError(_ error: LocatorError) -> LocatorClientError {
        switch error.code {
        case .auth: .wrongPassword(user: user, locator: locatorName)
        case .registrationClosed: .registrationClosed(user: user)
        case .invalidName: .invalidUser(user, reason: error.message)
        default: .refused(error)
        }
    }

    /// The locator forgets watches with the connection: WATCH everyone again.
    func resumeWatching(on link: LocatorLink) async throws {
        for batch in Self.batches(of: state.watched.sorted()) {
            if case .error(let error) = try await exchange(.watch(users: batch), on: link) {
                logger.warning("the locator refused WATCH", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Nothing to catch up on: the locator pushed presence, and the pushes held meanwhile are out.
    func didComeOnline() async {}

    /// Nothing runs beside a link: presence is pushed.
    func whileLinked(_ id: Int) async {}

    /// A PING, or a TOKEN when the held resumption token is due for renewal (either shows the
    /// link is alive).
    func keepAliveRequest() -> LocatorRequest {
        if let held = resumeToken, held.renewAt <= .now {
            // Not again on every tick while the answer is on its way; an answer sets the next time.
            resumeToken?.renewAt = .now + .seconds(30)
            return .token
        }
        pingCounter += 1
        return .ping(token: String(pingCounter))
    }

    func logoutLink() async -> LocatorLink? {
        state.link
    }

    var logoutRequest: LocatorRequest { .logout }

    func handleIncoming(_ line: String) throws {
        guard let reply = LocatorReply(parsing: line) else {
            throw LocatorClientError.protocolViolation("an unreadable line '\(LocatorClientError.excerpt(line))'")
        }
        switch reply {
        case .presence(let user, let address):
            presenceChanged(user, CourseID.withImpliedPort(address, of: user))
            return
        case .bye(let reason):
            if reason == "replaced" {
                fail("logged in elsewhere")
            } else {
                logger.notice("the locator is closing the connection", metadata: ["reason": "\(reason)"])
            }
            return
        default:
            break
        }
        guard let head = state.pending.first else {
            throw LocatorClientError.protocolViolation("an answer to nothing: '\(LocatorClientError.excerpt(line))'")
        }
        guard Self.reply(reply, answers: head.request) else {
            throw LocatorClientError.protocolViolation("'\(LocatorClientError.excerpt(line))' does not answer \(head.request.summary)")
        }
        if case .token = head.request, case .ok(_, let details) = reply {
            // Kept here, whoever asked: the login, or the keep-alive renewing it.
            guard let held = HeldResumeToken(details: details) else {
                throw LocatorClientError.protocolViolation("unexpected answer to TOKEN: OK TOKEN with \(details.count) words")
            }
            resumeToken = held
        }
        answerOldest(with: reply)
    }

    /// A pushed presence: reported at once when online, else held until `.connected`.
    private func presenceChanged(_ user: String, _ address: PeerAddress?) {
        guard state.watched.contains(user) else { return }  // an UNWATCH crossed this push
        let update = Update.presence(user: user, address: address)
        if state.phase == .online {
            emit(update)
        } else {
            state.heldPushes.append(update)
        }
    }

    /// Whether `reply` is a possible answer to `request` (an `ERR` answers anything).
    private static func reply(_ reply: LocatorReply, answers request: LocatorRequest) -> Bool {
        switch (request, reply) {
        case (_, .error): true
        case (.login, .ok(let verb, _)), (.resume, .ok(let verb, _)), (.token, .ok(let verb, _)), (.advertise, .ok(let verb, _)), (.watch, .ok(let verb, _)),
            (.unwatch, .ok(let verb, _)), (.logout, .ok(let verb, _)), (.turn, .ok(let verb, _)),
            (.candidates, .ok(let verb, _)):
            verb == request.verb
        case (.query(let user), .user(let answered, _)): answered == user
        case (.paths(let user), .paths(let answered, _)): answered == user
        case (.ping, .pong): true
        default: false
        }
    }
}
