/// A request of the modern locator protocol: one line over TLS.
///
/// ```
/// LOGIN <user> :<password>        register on first use, else authenticate
/// RESUME <user> <token>           log in again with a resumption token instead of the password
/// TOKEN                           a fresh resumption token (single use, short-lived)
/// ADVERTISE <port> <fingerprint>  where my peer node listens; makes me visible as online
/// QUERY <user>
/// WATCH <user> [<user> ...]       push PRESENCE lines for these users, starting with their state now
/// UNWATCH <user> [<user> ...]
/// LOGOUT
/// PING [<token>]
/// TURN                            short-lived credentials for the locator's TURN relay
/// CANDIDATES [<candidate> ...]    more ways to reach me than the address the locator sees
/// PATHS <user>                    every way to reach <user>
/// ```
public enum LocatorRequest: Sendable, Hashable {
    case login(user: String, password: String)
    /// A cheaper login after a connection was lost: a token from `TOKEN`, used once.
    case resume(user: String, token: ResumeToken)
    case token
    case advertise(port: Int, fingerprint: String)
    case query(user: String)
    case watch(users: [String])
    case unwatch(users: [String])
    case logout
    case ping(token: String?)
    case turn
    case candidates([PeerCandidate])
    case paths(user: String)

    public var verb: String {
        switch self {
        case .login: "LOGIN"
        case .resume: "RESUME"
        case .token: "TOKEN"
        case .advertise: "ADVERTISE"
        case .query: "QUERY"
        case .watch: "WATCH"
        case .unwatch: "UNWATCH"
        case .logout: "LOGOUT"
        case .ping: "PING"
        case .turn: "TURN"
        case .candidates: "CANDIDATES"
        case .paths: "PATHS"
        }
    }

    public var rendered: String {
        switch self {
        case .login(let user, let password): LocatorLine([verb, user, password]).rendered
        case .advertise(let port, let fingerprint): LocatorLine([verb, String(port), fingerprint]).rendered
        case .query(let user): LocatorLine([verb, user]).rendered
        case .watch(let users), .unwatch(let users): LocatorLine([verb] + users).rendered
        case .resume(let user, let token): LocatorLine([verb, user, token.text]).rendered
        case .logout, .turn, .token: verb
        case .candidates(let candidates): LocatorLine([verb] + candidates.map(\.word)).rendered
        case .paths(let user): LocatorLine([verb, user]).rendered
        case .ping(let token): LocatorLine([verb] + (token.map { [$0] } ?? [])).rendered
        }
    }

    /// Parses a request line, or says in a few words what is wrong with it.
    public static func parse(_ line: some StringProtocol) -> Result<LocatorRequest, LocatorError> {
        guard let parsed = LocatorLine(parsing: line), let verb = parsed.words.first else {
            return .failure(LocatorError(.syntax, "empty or badly spaced line"))
        }
        let arguments = parsed.words.dropFirst()
        func users(_ words: ArraySlice<String>) -> Result<[String], LocatorError> {
            guard !words.isEmpty else { return .failure(LocatorError(.syntax, "usage: \(verb.uppercased()) <user> [<user> ...]")) }
            guard words.count <= Limits.maxWatchBatch else {
                return .failure(LocatorError(.syntax, "at most \(Limits.maxWatchBatch) users per line"))
            }
            if let bad = words.first(where: { !UserName.isValid($0) }) {
                return .failure(LocatorError(.invalidName, "'\(bad.prefix(40))': \(UserName.rule)"))
            }
            return .success(Array(words))
        }
        switch verb.uppercased() {
        case "LOGIN":
            guard arguments.count == 2 else { return .failure(LocatorError(.syntax, "usage: LOGIN <user> :<password>")) }
            let user = arguments[arguments.startIndex], password = arguments[arguments.startIndex + 1]
            guard UserName.isValid(user) else { return .failure(LocatorError(.invalidName, UserName.rule)) }
            guard !password.isEmpty else { return .failure(LocatorError(.syntax, "the password is empty")) }
            return .success(.login(user: user, password: password))
        case "RESUME":
            guard arguments.count == 2 else { return .failure(LocatorError(.syntax, "usage: RESUME <user> <token>")) }
            let user = arguments[arguments.startIndex]
            guard UserName.isValid(user) else { return .failure(LocatorError(.invalidName, UserName.rule)) }
            guard let token = ResumeToken(text: arguments[arguments.startIndex + 1]) else {
                return .failure(LocatorError(.syntax, "a resumption token is \(ResumeToken.hexLength) lowercase hex digits"))
            }
            return .success(.resume(user: user, token: token))
        case "TOKEN":
            guard arguments.isEmpty else { return .failure(LocatorError(.syntax, "usage: TOKEN")) }
            return .success(.token)
        case "ADVERTISE":
            guard arguments.count == 2, let port = Int(arguments[arguments.startIndex]), (1...65535).contains(port) else {
                return .failure(LocatorError(.syntax, "usage: ADVERTISE <port 1-65535> <fingerprint>"))
            }
            let fingerprint = arguments[arguments.startIndex + 1]
            guard PeerAddress.isFingerprint(fingerprint) else {
                return .failure(LocatorError(.syntax, "a fingerprint is 64 lowercase hex digits"))
            }
            return .success(.advertise(port: port, fingerprint: fingerprint))
        case "QUERY":
            guard arguments.count == 1 else { return .failure(LocatorError(.syntax, "usage: QUERY <user>")) }
            return users(arguments).map { .query(user: $0[0]) }
        case "WATCH":
            return users(arguments).map { .watch(users: $0) }
        case "UNWATCH":
            return users(arguments).map { .unwatch(users: $0) }
        case "LOGOUT":
            guard arguments.isEmpty else { return .failure(LocatorError(.syntax, "usage: LOGOUT")) }
            return .success(.logout)
        case "PING":
            guard arguments.count <= 1 else { return .failure(LocatorError(.syntax, "usage: PING [<token>]")) }
            return .success(.ping(token: arguments.first))
        case "TURN":
            guard arguments.isEmpty else { return .failure(LocatorError(.syntax, "usage: TURN")) }
            return .success(.turn)
        case "CANDIDATES":
            guard arguments.count <= Limits.maxCandidates else {
                return .failure(LocatorError(.syntax, "at most \(Limits.maxCandidates) candidates"))
            }
            let candidates = arguments.compactMap(PeerCandidate.init(word:))
            guard candidates.count == arguments.count else {
                return .failure(LocatorError(.syntax, "a candidate is lan|direct|relayed:<address>:<port>"))
            }
            return .success(.candidates(candidates))
        case "PATHS":
            guard arguments.count == 1 else { return .failure(LocatorError(.syntax, "usage: PATHS <user>")) }
            return users(arguments).map { .paths(user: $0[0]) }
        default:
            return .failure(LocatorError(.unknownCommand, "unknown command '\(verb.prefix(40))'; try LOGIN, RESUME, TOKEN, ADVERTISE, QUERY, WATCH, UNWATCH, LOGOUT, PING, TURN, CANDIDATES, PATHS"))
        }
    }
}
