/// An `ERR` line of the modern locator protocol: a stable code for programs, a text for people.
public struct LocatorError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        case syntax
        case unknownCommand = "unknown-command"
        case invalidName = "invalid-name"
        case auth
        case registrationClosed = "registration-closed"
        case notLoggedIn = "not-logged-in"
        case alreadyLoggedIn = "already-logged-in"
        case lineTooLong = "line-too-long"
        case busy
        case server
        /// `TURN` on a locator started without `--turn`.
        case noRelay = "no-relay"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
