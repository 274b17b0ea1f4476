import NIOCore

/// What a locator client of either dialect keeps while it runs: its phase, the watched users, and
/// the current link with the requests waiting on it.
struct LocatorClientState<Request: LocatorClientRequest, Reply: Sendable> {
    var phase: LocatorClientPhase = .idle
    /// Watched users, watched again after every reconnect.
    var watched: Set<String> = []
    /// Pushes that arrived while (re)connecting: they are emitted after `.connected`.
    var heldPushes: [LocatorClientUpdate] = []
    var link: LocatorLink?
    /// The replicas' endpoints, resolved at each start and each round of reconnecting.
    var endpoints: [LocatorEndpoint] = []
    /// Where the current (or last) connection goes.
    var endpoint: LocatorEndpoint?
    /// Where the client was last online: a reconnect elsewhere is a move (`.moved`).
    var onlineAt: LocatorEndpoint?
    /// Refusals of replicas already said (their text names the replica and both identities).
    var refusedReplicas: Set<String> = []
    /// A connection still in its TLS handshake: `stop` closes it, so that a login to a locator
    /// that does not answer ends when the user logs out, not when the handshake times out.
    var handshaking: (any Channel)?
    /// Whether the current link has logged in and advertised, so requests may use it.
    var linkReady = false
    var nextLinkID = 1
    var linkWork: SessionWork?
    var pending: [PendingRequest<Request, Reply>] = []
    var lastWrite = ContinuousClock.now
    var reconnectWork: SessionWork?
}
