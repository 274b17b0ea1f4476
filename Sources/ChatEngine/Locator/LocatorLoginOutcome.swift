/// How the first login went.
public enum LocatorLoginOutcome: String, Sendable, Equatable {
    /// The name was new and is now registered with this password.
    case registered
    /// An existing account (always the answer of the course protocol, which has no registration).
    case welcome
}
