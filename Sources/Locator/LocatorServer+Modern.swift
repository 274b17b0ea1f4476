import ChatWire
import Logging
import NIOCore

extension LocatorServer {
    /// The modern protocol: requests answered in order, while presence pushes go out as they happen.
    nonisolated func serveModern(_ channel: NIOAsyncChannel<String, String>, activity: ConnectionActivity) async {
        let host = channel.channel.remoteAddress?.bareIP ?? "?"
        let (pushes, pushContinuation) = AsyncStream.makeStream(of: LocatorReply.self)
        let session = await registry.openSession(pushes: pushContinuation)
        do {
            try await channel.executeThenClose { inbound, outbound in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await push in pushes {
                            try await outbound.write(push.rendered)
                            if case .bye = push { return }
                        }
                    }
                    group.addTask {
                        var state = ModernSession(host: host, session: session, activity: activity)
                        do {
                            for try await line in inbound {
                                let reply = await self.respond(to: line, in: &state)
                                try await outbound.write(reply.rendered)
                                if state.isFinished { return }
                            }
                        } catch is LineTooLongError {
                            let error = LocatorError(.lineTooLong, "lines are limited to \(Limits.maxLineLength) bytes")
                            try await outbound.write(LocatorReply.error(error).rendered)
                        }
                    }
                    // Either side ending ends the session: input closed, LOGOUT, or `BYE replaced`.
                    try await group.next()
                    group.cancelAll()
                }
            }
        } catch {
            logger.debug("modern connection ended", metadata: ["host": "\(host)", "reason": "\(error)"])
        }
        await registry.closeSession(session)
    }

    nonisolated func respond(to line: String, in state: inout ModernSession) async -> LocatorReply {
        let request: LocatorRequest
        switch LocatorRequest.parse(line) {
        case .success(let parsed): request = parsed
        case .failure(let error): return .error(error)
        }
        state.activity.requestCompleted()
        if case .login(let user, let password) = request {
            guard state.user == nil else {
                return .error(LocatorError(.alreadyLoggedIn, "this connection is logged in as \(state.user!)"))
            }
            let mayRegister = configuration.registration == .open || (configuration.roster?.contains(user) ?? false)
            let host = state.host
            do {
                let outcome = try await accounts.login(
                    user: user, password: password, mayRegister: mayRegister,
                    admitRegistration: { [registrations] in registrations.reserve(host) != nil })
                state.user = user
                await registry.claim(user, by: state.session)
                logger.info("login", metadata: ["user": "\(user)", "host": "\(state.host)", "outcome": "\(outcome.rawValue)"])
                return .ok(verb: request.verb, details: [user, outcome.rawValue])
            } catch AccountStore.Error.wrongPassword {
                logger.notice("wrong password", metadata: ["user": "\(user)", "host": "\(state.host)"])
                return .error(LocatorError(.auth, "wrong password for \(user)"))
            } catch AccountStore.Error.tooManyRegistrations {
                logger.notice("registration refused: too many from this address", metadata: ["user": "\(user)", "host": "\(host)"])
                let perMinute = configuration.registrationsPerMinute
                return .error(LocatorError(.busy, "too many new accounts from \(host) (at most \(perMinute) a minute); try again later"))
            } catch AccountStore.Error.registrationClosed {
                return .error(LocatorError(.registrationClosed, "registration is closed and \(user) is not on the roster"))
            } catch {
                logger.error("account store failed", metadata: ["error": "\(error)"])
                return .error(LocatorError(.server, "the account store failed; try again later"))
            }
        }
        if case .ping(let token) = request { return .pong(token: token) }
        guard let user = state.user else {
            return .error(LocatorError(.notLoggedIn, "LOGIN first"))
        }
        switch request {
        case .login, .ping:
            preconditionFailure("answered above")
        case .advertise(let port, let fingerprint):
            await registry.advertise(PeerAddress(host: state.host, port: port, fingerprint: fingerprint), for: state.session)
            return .ok(verb: request.verb, details: [])
        case .query(let other):
            return .user(other, registry.address(of: other))
        case .watch(let users):
            await registry.watch(users, by: state.session)
            return .ok(verb: request.verb, details: [String(users.count)])
        case .unwatch(let users):
            await registry.unwatch(users, by: state.session)
            return .ok(verb: request.verb, details: [String(users.count)])
        case .logout:
            await registry.logout(session: state.session)
            logger.info("logout", metadata: ["user": "\(user)"])
            state.isFinished = true
            return .ok(verb: request.verb, details: [])
        }
    }
}

/// What one modern connection has said so far.
struct ModernSession {
    let host: String
    let session: PresenceRegistry.SessionID
    let activity: ConnectionActivity
    var user: String?
    var isFinished = false
}
