import ChatWire
import Logging
import NIOCore
import Synchronization

/// What every modern connection shares: the accounts, the presence registry and the registration
/// rate. `ModernProtocolHandler` answers queries and pings itself, on the event loop; the requests
/// that need the account store or the registry come here.
final class ModernService: Sendable {
    let configuration: LocatorConfiguration
    let accounts: AccountStore
    let registry: PresenceRegistry
    let registrations: RateLimiter
    let logger: Logger
    private let nextSessionID = Atomic(1)

    init(configuration: LocatorConfiguration, accounts: AccountStore, registry: PresenceRegistry, logger: Logger) {
        self.configuration = configuration
        self.accounts = accounts
        self.registry = registry
        self.registrations = RateLimiter(
            perSecond: Double(configuration.registrationsPerMinute) / 60, burst: Double(configuration.registrationsPerMinute))
        self.logger = logger
    }

    func newSessionID() -> PresenceRegistry.SessionID {
        nextSessionID.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    /// The answer to a well-formed request; `state` is the connection's, changed by LOGIN and LOGOUT.
    func respond(to request: LocatorRequest, in state: inout ModernSession) async -> LocatorReply {
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
struct ModernSession: Sendable {
    let host: String
    let session: PresenceRegistry.SessionID
    let activity: ConnectionActivity
    var user: String?
    var isFinished = false
}
