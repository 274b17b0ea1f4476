import ChatWire

/// What the client reports on `updates`, in the order it happened.
public enum LocatorClientUpdate: Sendable, Equatable {
    /// Logged in (again) and advertised; emitted after `start` and after every reconnect.
    case connected
    /// Logged in again at another replica than before, named as `b:8000`; `.connected` follows.
    case moved(to: String)
    /// A replica presented another identity than the service's and was refused (the text is
    /// for the user, a warning). The client carries on with the other replicas.
    case replicaRefused(String)
    /// The connection to the locator was lost; the client reconnects by itself.
    case disconnected(String)
    /// A watched user's presence: where to reach them, or `nil` when offline. Sent for each
    /// watched user when the watch starts and after every reconnect, then on every change.
    case presence(user: String, address: PeerAddress?)
    /// A fatal problem (changed locator identity, wrong password, logged in elsewhere): the
    /// client has stopped and will not retry. The text is for the user.
    case failed(String)
}
