/// A request of the course server's plain-text protocol.
///
/// The protocol has no terminator: a request is what one `send()` carried. A trailing `\n` or
/// `\r\n` is tolerated. Ids are ten digits, a password is one line; anything else is malformed.
public enum LegacyRequest: Sendable, Hashable {
    /// `<id>_<password>`
    case login(id: String, password: String)
    /// `q<id>`
    case query(id: String)
    /// `logout<id>`
    case logout(id: String)

    /// The id the request is about, for the roster check.
    public var id: String {
        switch self {
        case .login(let id, _), .query(let id), .logout(let id): id
        }
    }

    /// Parses one request; `nil` means the course server's "Please send the correct message."
    public init?(parsing raw: some StringProtocol) {
        // "\r\n" is one Character in Swift, so one dropLast removes either terminator.
        var text = Substring(raw)
        if text.last == "\n" || text.last == "\r\n" {
            text = text.dropLast()
        }
        if text.hasPrefix("logout") {
            let id = text.dropFirst("logout".count)
            guard UserName.isLegacyID(id) else { return nil }
            self = .logout(id: String(id))
        } else if text.hasPrefix("q") {
            let id = text.dropFirst()
            guard UserName.isLegacyID(id) else { return nil }
            self = .query(id: String(id))
        } else if let separator = text.firstIndex(of: "_") {
            let id = text[..<separator]
            let password = text[text.index(after: separator)...]
            // A password is one line: with a line break left in it, it would not read back as itself.
            guard UserName.isLegacyID(id), !password.isEmpty, !password.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else {
                return nil
            }
            self = .login(id: String(id), password: String(password))
        } else {
            return nil
        }
    }

    /// The bytes a course client sends for this request (no terminator).
    public var rendered: String {
        switch self {
        case .login(let id, let password): "\(id)_\(password)"
        case .query(let id): "q\(id)"
        case .logout(let id): "logout\(id)"
        }
    }
}
