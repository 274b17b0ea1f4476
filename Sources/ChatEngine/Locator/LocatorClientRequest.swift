import ChatWire

/// A request in either dialect, as the connection code both share sees it.
protocol LocatorClientRequest: Sendable {
    /// The bytes on the wire. Never logged: a login carries the password.
    var rendered: String { get }
    /// What the request is, for logs and error messages (without the password).
    var summary: String { get }
}

extension LocatorRequest: LocatorClientRequest {
    var summary: String { verb }
}

extension LegacyRequest: LocatorClientRequest {
    var summary: String {
        switch self {
        case .login: "course login"
        case .query: "course query"
        case .logout: "course logout"
        }
    }
}
