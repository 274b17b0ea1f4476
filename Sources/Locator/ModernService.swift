import ChatWire
import Logging
import NIOCore
import Synchronization

/// What every modern connection shares: the accounts, the presence registry, the registration
/// rates and the login throttle. `ModernProtocolHandler` answers queries and pings itself, on the
/// event loop; the requests that need the account store or the registry come here.
final class ModernService: Sendable {
    let configuration: LocatorConfiguration
    let accounts: AccountStore
    let registry: PresenceRegistry
    /// New accounts per address, and in all (one bucket, under the key `allAddresses`).
    let registrations: RateLimiter
    let allRegistrations: RateLimiter
    let throttle: LoginThrottle
    /// Notices a client can provoke at will, summarized per reason and address.
    let notices: NoticeSummary
    let logger: Logger
    let resumeTokens: ResumeTokens
    private let nextSessionID = Atomic(1)
    private static let allAddresses = "*"

    init(configuration: LocatorConfiguration, accounts: AccountStore, registry: PresenceRegistry, logger: Logger) {
        self.configuration = configuration
        self.accounts = accounts
        self.registry = registry
        self.registrations = RateLimiter(
            perSecond: Double(configuration.registrationsPerMinute) / 60, burst: Double(configuration.registrationsPerMinute))
        self.allRegistrations = RateLimiter(
            perSecond: Double(configuration.registrationsPerMinuteTotal) / 60,
            burst: Double(configuration.registrationsPerMinuteTotal))
        self.throttle = LoginThrottle(
            policy: LoginThrottle.Policy(
                freeFailuresPerAccount: configuration.loginFailuresPerAccount,
                freeFailuresPerAddress: configuration.loginFailuresPerAddress,
                firstPenalty: configuration.firstLoginPenalty,
                longestPenalty: configuration.longestLoginPenalty))
        self.notices = NoticeSummary(interval: configuration.noticeSummaryInterval, logger: logger)
        self.logger = logger
        self.resumeTokens = ResumeTokens(store: accounts.store, lifetime: configuration.resumeTokenLifetime)
    }

    /// The sweep's share: forgets quiet throttle records and buckets, logs the notices' summaries.
    func sweep() {
        throttle.prune()
        registrations.prune()
        notices.flush()
    }

    func newSessionID() -> PresenceRegistry.SessionID {
        nextSessionID.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    /// The answer to a well-formed request; `state` is the connection's, changed by LOGIN and LOGOUT.
    func respond(to request: LocatorRequest, in state: inout ModernSession) async -> LocatorReply {
        if case .login(let user, let password) = request {
            if let refusal = alreadyLoggedIn(state) { return refusal }
            let mayRegister = configuration.registration == .open || (configuration.roster?.contains(user) ?? false)
            let host = state.host
            if let barred = barred(user, from: host, "login refused: too many wrong passwords") { return barred }
            var attempt = LoginThrottle.Outcome.undecided
            defer { throttle.end(user: user, host: host, attempt) }
            do {
                let outcome = try await accounts.login(
                    user: user, password: password, mayRegister: mayRegister, from: host,
                    admitRegistration: { [registrations, allRegistrations] in
                        guard registrations.reserve(host) != nil else { return .tooManyFromAddress }
                        guard allRegistrations.reserve(Self.allAddresses) != nil else { return .budgetSpent }
                        return .admitted
                    })
                attempt = .succeeded
                return await loggedIn(user, outcome.rawValue, logged: outcome.rawValue, answering: request.verb, in: &state)
            } catch AccountStore.Error.wrongPassword {
                attempt = .wrongPassword
                notices.notice("wrong password", host: host, metadata: ["user": "\(user)"])
                return .error(LocatorError(.auth, "wrong password for \(user)"))
            } catch AccountStore.Error.tooManyRegistrations {
                notices.notice("registration refused: too many from this address", host: host, metadata: ["user": "\(user)"])
                let perMinute = configuration.registrationsPerMinute
                return .error(LocatorError(.busy, "too many new accounts from \(host) (at most \(perMinute) a minute); try again later"))
            } catch AccountStore.Error.registrationBudgetSpent {
                notices.notice("registration refused: the service-wide budget is spent", host: host, metadata: ["user": "\(user)"])
                let perMinute = configuration.registrationsPerMinuteTotal
                return .error(LocatorError(.busy, "too many new accounts (at most \(perMinute) a minute in all); try again later"))
            } catch AccountStore.Error.hashingBusy {
                notices.notice("login refused: too many waiting to be checked", host: host)
                return .error(LocatorError(.busy, "too many logins are waiting; retry in 1 s"))
            } catch AccountStore.Error.registrationClosed {
                return .error(LocatorError(.registrationClosed, "registration is closed and \(user) is not on the roster"))
            } catch {
                return storeFailed(error)
            }
        }
        if case .resume(let user, let token) = request {
            return await resume(user, with: token, in: &state)
        }
        if case .ping(let token) = request { return .pong(token: token) }
        guard let user = state.user else {
            return .error(LocatorError(.notLoggedIn, "LOGIN first"))
        }
        switch request {
        case .login, .resume, .ping:
            preconditionFailure("answered above")
        case .token:
            return await issueToken(for: user, in: &state)
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
        case .candidates(let candidates):
            await registry.publish(candidates, for: state.session)
            return .ok(verb: request.verb, details: [String(candidates.count)])
        case .paths(let other):
            // The address the locator sees comes first: no client can forge that one.
            guard let address = registry.address(of: other), let port = address.port,
                  let direct = PeerCandidate(kind: .direct, host: address.host, port: port) else { return .paths(other, []) }
            return .paths(other, [direct] + (await registry.candidates(of: other)).filter { $0 != direct })
        case .turn:
            guard let relay = configuration.turnRelay else {
                return .error(LocatorError(.noRelay, "this locator offers no relay"))
            }
            return .ok(verb: request.verb, details: relay.offer(for: user).words)
        case .logout:
            do {
                try await resumeTokens.revokeAll(of: user)
            } catch {
                logger.error("resumption tokens not revoked at logout", metadata: ["user": "\(user)", "error": "\(error)"])
            }
            await registry.logout(session: state.session)
            logger.info("logout", metadata: ["user": "\(user)"])
            state.isFinished = true
            return .ok(verb: request.verb, details: [])
        }
    }
}

extension ModernService {
    /// `ERR` for a second `LOGIN` or `RESUME` on a connection that is logged in; else nil.
    private func alreadyLoggedIn(_ state: ModernSession) -> LocatorReply? {
        guard let user = state.user else { return nil }
        return .error(LocatorError(.alreadyLoggedIn, "this connection is logged in as \(user)"))
    }

    /// The connection is `user`'s now, by password or by token: the registry hears of it, the log
    /// says how (`logged`), and the request `verb` is answered with `outcome`.
    private func loggedIn(
        _ user: String, _ outcome: String, logged: String, answering verb: String, in state: inout ModernSession
    ) async -> LocatorReply {
        state.user = user
        await registry.claim(user, by: state.session)
        logger.info("login", metadata: ["user": "\(user)", "host": "\(state.host)", "outcome": "\(logged)"])
        return .ok(verb: verb, details: [user, outcome])
    }

    /// `ERR server` for a request the account store could not serve; the error goes to the log only.
    private func storeFailed(_ error: any Error) -> LocatorReply {
        logger.error("account store failed", metadata: ["error": "\(error)"])
        return .error(LocatorError(.server, "the account store failed; try again later"))
    }

    /// `ERR busy` when the throttle bars `user` or `host` for now, else nil and the attempt has
    /// begun (`throttle.end` must follow). Answered without hashing: a guesser's attempts cost the
    /// locator nothing while barred.
    private func barred(_ user: String, from host: String, _ notice: String) -> LocatorReply? {
        guard let wait = throttle.begin(user: user, host: host) else { return nil }
        notices.notice(notice, host: host)
        let seconds = max(1, (wait.nanoseconds + 999_999_999) / 1_000_000_000)
        return .error(LocatorError(.busy, "retry in \(seconds) s"))
    }

    /// `RESUME`: a login with a token from `TOKEN` instead of the password, throttled like a login.
    private func resume(_ user: String, with token: ResumeToken, in state: inout ModernSession) async -> LocatorReply {
        if let refusal = alreadyLoggedIn(state) { return refusal }
        let host = state.host
        if let barred = barred(user, from: host, "resume refused: too many wrong passwords or tokens") { return barred }
        var attempt = LoginThrottle.Outcome.undecided
        defer { throttle.end(user: user, host: host, attempt) }
        do {
            guard try await resumeTokens.spend(token, of: user) else {
                attempt = .wrongPassword
                notices.notice("resumption token refused", host: host, metadata: ["user": "\(user)"])
                return .error(LocatorError(.auth, "this resumption token is unknown, spent or expired; LOGIN with the password"))
            }
        } catch {
            return storeFailed(error)
        }
        attempt = .succeeded
        return await loggedIn(
            user, AccountStore.LoginOutcome.welcome.rawValue, logged: "resumed", answering: "RESUME", in: &state)
    }

    /// `TOKEN`: a new resumption token, at most one per `tokenInterval` on a connection, so that
    /// a client cannot fill the store.
    private func issueToken(for user: String, in state: inout ModernSession) async -> LocatorReply {
        let now = ContinuousClock.now
        if let last = state.lastTokenAt, now < last + Self.tokenInterval {
            let seconds = max(1, Int(((last + Self.tokenInterval) - now).components.seconds) + 1)
            return .error(LocatorError(.busy, "one TOKEN every \(Self.tokenInterval.components.seconds) s; retry in \(seconds) s"))
        }
        do {
            let token = try await resumeTokens.issue(for: user)
            state.lastTokenAt = now
            return .ok(verb: "TOKEN", details: [token.text, String(resumeTokens.lifetime.components.seconds)])
        } catch {
            return storeFailed(error)
        }
    }

    static let tokenInterval: Duration = .seconds(10)
}

/// What one modern connection has said so far.
struct ModernSession: Sendable {
    let host: String
    let session: PresenceRegistry.SessionID
    let activity: ConnectionActivity
    var user: String?
    var isFinished = false
    /// When this connection was last given a resumption token.
    var lastTokenAt: ContinuousClock.Instant?
}
