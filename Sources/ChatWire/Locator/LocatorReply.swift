/// A line the modern locator sends: the answer to a request, or a push (`PRESENCE`, `BYE`).
///
/// ```
/// OK <verb> [<detail> ...]
/// ERR <code> :<message>
/// USER <user> online <address> <port|-> <fingerprint|->
/// USER <user> offline
/// PONG [<token>]
/// PATHS <user> [<candidate> ...]                               (none: offline)
/// PRESENCE <user> online <address> <port|-> <fingerprint|->     (pushed to watchers)
/// PRESENCE <user> offline                                       (pushed to watchers)
/// BYE <reason>                                                  (the server is closing the connection)
/// ```
public enum LocatorReply: Sendable, Hashable {
    case ok(verb: String, details: [String])
    case error(LocatorError)
    case user(String, PeerAddress?)
    case pong(token: String?)
    case presence(String, PeerAddress?)
    case bye(reason: String)
    case paths(String, [PeerCandidate])

    /// Pushes arrive whenever the server likes; everything else answers the oldest open request.
    public var isPush: Bool {
        switch self {
        case .presence, .bye: true
        default: false
        }
    }

    public var rendered: String {
        switch self {
        case .ok(let verb, let details): LocatorLine(["OK", verb] + details).rendered
        case .error(let error): LocatorLine(["ERR", error.code.rawValue, error.message]).rendered
        case .user(let user, let address): LocatorLine(["USER"] + Self.statusWords(user, address)).rendered
        case .presence(let user, let address): LocatorLine(["PRESENCE"] + Self.statusWords(user, address)).rendered
        case .pong(let token): LocatorLine(["PONG"] + (token.map { [$0] } ?? [])).rendered
        case .bye(let reason): LocatorLine(["BYE", reason]).rendered
        case .paths(let user, let candidates): LocatorLine(["PATHS", user] + candidates.map(\.word)).rendered
        }
    }

    public init?(parsing line: some StringProtocol) {
        guard let parsed = LocatorLine(parsing: line), let kind = parsed.words.first else { return nil }
        let words = parsed.words.dropFirst()
        switch kind {
        case "OK":
            guard let verb = words.first else { return nil }
            self = .ok(verb: verb, details: Array(words.dropFirst()))
        case "ERR":
            guard words.count == 2, let code = LocatorError.Code(rawValue: words[words.startIndex]) else { return nil }
            self = .error(LocatorError(code, words[words.startIndex + 1]))
        case "USER", "PRESENCE":
            guard let (user, address) = Self.parseStatus(words) else { return nil }
            self = kind == "USER" ? .user(user, address) : .presence(user, address)
        case "PONG":
            guard words.count <= 1 else { return nil }
            self = .pong(token: words.first)
        case "PATHS":
            guard let user = words.first, UserName.isValid(user), words.count <= 1 + 2 * Limits.maxCandidates else { return nil }
            let candidates = words.dropFirst().compactMap(PeerCandidate.init(word:))
            guard candidates.count == words.count - 1 else { return nil }
            self = .paths(user, candidates)
        case "BYE":
            guard words.count == 1 else { return nil }
            self = .bye(reason: words[words.startIndex])
        default:
            return nil
        }
    }

    private static func statusWords(_ user: String, _ address: PeerAddress?) -> [String] {
        guard let address else { return [user, "offline"] }
        return [user, "online"] + address.words
    }

    private static func parseStatus(_ words: ArraySlice<String>) -> (String, PeerAddress?)? {
        guard words.count >= 2, UserName.isValid(words[words.startIndex]) else { return nil }
        let user = words[words.startIndex]
        switch words[words.startIndex + 1] {
        case "offline" where words.count == 2:
            return (user, nil)
        case "online":
            guard let address = PeerAddress(words: words.dropFirst(2)) else { return nil }
            return (user, address)
        default:
            return nil
        }
    }
}
