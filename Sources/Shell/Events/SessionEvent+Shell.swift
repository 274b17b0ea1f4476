import ChatEngine
import ChatWire

/// The core's events: the login session, the locator link, presence, and problems.
extension SessionEvent: ShellEvent {
    static let kinds: [OutputKind] = [.loggedIn, .loggedOut, .locator, .locatorMoved, .presence, .pathChanged, .error, .securityWarning]

    var shown: ShownEvent {
        switch self {
        case .loggedIn(let user, let registered):
            ShownEvent(.loggedIn, ["user": .string(user), "registered": .bool(registered)]) {
                [$0.notice("logged in as \($0.nick(user))" + (registered ? " (new account: the id is now yours)" : ""))]
            }
        case .loggedOut(let user):
            ShownEvent(.loggedOut, ["user": .string(user)]) { [$0.notice("logged out (\(SafeText.line(user)))")] }
        case .locator(let connected, let detail):
            ShownEvent(.locator, ["connected": .bool(connected), "detail": .string(detail)]) {
                [
                    $0.notice(
                        (connected ? "connected to the locator" : "lost the locator")
                            + (detail.isEmpty ? "" : ": " + SafeText.line(detail)))
                ]
            }
        case .locatorMoved(let address):
            // The line the issue asks for, as irssi marks a server change: `*** locator: now at b:8000`.
            ShownEvent(.locatorMoved, ["address": .string(address)]) {
                [$0.paint("***", "36") + " locator: now at " + SafeText.line(address)]
            }
        case .presence(let user, let online, let path):
            ShownEvent(.presence, ["id": .string(user), "online": .bool(online), "path": JSONValue(path?.name)]) { renderer in
                let shownPath = path.map { " (\($0))" } ?? ""
                return [renderer.notice("\(renderer.nick(user)) is " + (online ? renderer.paint("online", "32") : "offline") + shownPath)]
            }
        case .pathChanged(let user, let from, let path):
            // `*** bob: now punched (12 ms)`, like the locator's move.
            ShownEvent(.pathChanged, ["id": .string(user), "path": .string(path.name), "from": .string(from.rawValue), "rtt_ms": .number(path.roundTripMilliseconds)]) {
                [$0.paint("***", "36") + " \($0.nick(user)): now \(path.name) (\(path.roundTripMilliseconds) ms)"]
            }
        case .error(let message):
            ShownEvent(.error, ["message": .string(message)]) { [$0.errorLine(message)] }
        case .securityWarning(let message):
            ShownEvent(.securityWarning, ["message": .string(message)]) {
                [$0.paint("*** security warning:", "1;31") + " " + SafeText.line(message)]
            }
        }
    }
}

extension OutputKind {
    /// `registered`: this login created the account.
    static let loggedIn = OutputKind("logged_in", fields: ["user", "registered"])
    static let loggedOut = OutputKind("logged_out", fields: ["user"])
    static let locator = OutputKind("locator", fields: ["connected", "detail"])
    /// `address`: the replica the client is logged in at now, after losing another.
    static let locatorMoved = OutputKind("locator_moved", fields: ["address"])
    /// `path`: how the connection to them travels (lan, direct, punched, relayed), once there is one.
    static let presence = OutputKind("presence", fields: ["id", "online", "path"])
    /// The connection to `id` moved to `path` (from `from`, with its round trip): hole punching
    /// upgraded a relayed connection.
    static let pathChanged = OutputKind("path_changed", fields: ["id", "path", "from", "rtt_ms"])
    /// Also the result of a command that failed.
    static let error = OutputKind("error", fields: ["message"])
    static let securityWarning = OutputKind("security_warning", fields: ["message"])
}
