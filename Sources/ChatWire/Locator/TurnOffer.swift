/// A TURN relay and short-lived credentials for it, as the locator hands them to a logged-in user:
/// `OK TURN turn:<host>:<port> <username> <password> <expires>`.
///
/// The credentials are coturn's REST-API form (`use-auth-secret`): the user name is
/// `<expires>:<user>` with `expires` in seconds since 1970, the password the base64 HMAC-SHA1 of the
/// user name under the secret the locator shares with coturn. coturn refuses them after `expires`.
public struct TurnOffer: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String
    /// Seconds since 1970 after which the relay refuses the credentials.
    public var expires: Int

    public init(host: String, port: Int, username: String, password: String, expires: Int) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.expires = expires
    }

    /// The relay as a TURN URI (RFC 7065), without the transport: `turn:host:port`.
    public var uri: String { "turn:\(host):\(port)" }

    /// The details of the `OK TURN` line.
    public var words: [String] { [uri, username, password, String(expires)] }

    /// The offer in the details of an `OK TURN` line; nil when they are not one.
    public init?(words: [String]) {
        guard words.count == 4, let (host, port) = Self.parseURI(words[0]), let expires = Int(words[3]), expires > 0,
              !words[1].isEmpty, !words[2].isEmpty, words[1].utf8.count <= 512, words[2].utf8.count <= 512
        else { return nil }
        self.init(host: host, port: port, username: words[1], password: words[2], expires: expires)
    }

    /// `turn:HOST:PORT` → (HOST, PORT); an IPv6 host is bracketed. nil for anything else.
    public static func parseURI(_ text: String) -> (host: String, port: Int)? {
        guard text.hasPrefix("turn:") else { return nil }
        let rest = text.dropFirst(5)
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
              (1...65535).contains(port) else { return nil }
        var host = rest[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-:".contains($0)) }) else { return nil }
        return (String(host), port)
    }
}
