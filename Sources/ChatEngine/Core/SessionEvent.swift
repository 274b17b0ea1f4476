import ChatWire

/// What the core tells the user: the login session, the locator link, friends' presence, and
/// problems any part can run into.
public enum SessionEvent: Sendable, Equatable {
    case loggedIn(user: String, registered: Bool)
    case loggedOut(user: String)
    /// The locator connection was lost (`connected == false`) or is back.
    case locator(connected: Bool, detail: String)
    /// The locator connection is back, at another replica of the service than before (`b:8000`).
    case locatorMoved(address: String)
    /// Said when a friend comes online or goes, and again when a connection to them opens on a
    /// path other than the one last said (`path`: nil while there is no connection).
    case presence(user: String, online: Bool, path: PeerPath? = nil)
    /// The connection to `user` moved from the `from` path to `to` (a relayed one upgraded by
    /// hole punching), without losing or repeating a message.
    case pathChanged(user: String, from: PeerCandidate.Kind, to: PeerPath)
    /// Something went wrong that the user should know about; the engine carries on.
    case error(String)
    /// A peer presented a certificate that does not match the one pinned for it.
    case securityWarning(String)
}
