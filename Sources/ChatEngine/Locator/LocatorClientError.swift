import ChatIdentity
import ChatWire

/// Why talking to the locator failed. The description is one line for the user: what went
/// wrong, and what to do about it when there is something to do.
public enum LocatorClientError: Swift.Error, Sendable, Equatable, CustomStringConvertible {
    /// No TCP connection (refused, timed out, no route, unknown host).
    case unreachable(locator: String, reason: String)
    /// TCP worked but TLS did not (not a locator, or not the modern protocol).
    case tlsFailed(locator: String, reason: String)
    /// The locator presented a different identity from the one pinned on first contact.
    case identityChanged(
        locator: String, pinned: ChatIdentity.Fingerprint, presented: ChatIdentity.Fingerprint?, file: String)
    /// A replica of a service presented another identity than the one pinned for the service at
    /// another of its addresses (`pinnedAt`): replicas share one identity.
    case otherIdentity(
        locator: String, pinnedAt: String, pinned: ChatIdentity.Fingerprint, presented: ChatIdentity.Fingerprint?)
    /// The file of pinned locator fingerprints cannot be read.
    case knownLocatorsUnreadable(file: String, reason: String)
    /// The user name cannot be used with this locator protocol.
    case invalidUser(String, reason: String)
    /// The password cannot be sent (empty, or containing a line break).
    case invalidPassword(String)
    /// The peer port to advertise is not a port.
    case invalidPeerPort(Int)
    case wrongPassword(user: String, locator: String)
    /// The name is not registered and the locator does not let new names register.
    case registrationClosed(user: String)
    /// Course protocol: the locator's roster does not list this id (`Incorrect No.`).
    case notOnRoster(user: String)
    /// Any other `ERR` the locator answered.
    case refused(LocatorError)
    /// The locator sent something that is not its protocol; the connection was dropped.
    case protocolViolation(String)
    /// Course protocol: the user is online but the peer port implied by the id (its last
    /// five digits) is not a port, so the user cannot be reached.
    case noPeerPort(user: String, implied: Int)
    /// Not connected right now (the connection was lost and the client is reconnecting).
    case notConnected(locator: String)
    /// The connection dropped while waiting for the answer.
    case connectionLost(locator: String, reason: String)
    /// Another client logged in as this user (`BYE replaced`).
    case loggedInElsewhere
    case notStarted
    case alreadyStarted
    case stopped
    /// The client gave up earlier for this reason and no longer talks to the locator.
    case failed(String)

    /// Errors that retrying cannot fix: the client stops instead of reconnecting.
    public var isFatal: Bool {
        switch self {
        case .identityChanged, .otherIdentity, .knownLocatorsUnreadable, .invalidUser, .invalidPassword, .invalidPeerPort, .wrongPassword,
            .registrationClosed, .notOnRoster, .loggedInElsewhere, .failed:
            true
        case .unreachable, .tlsFailed, .refused, .protocolViolation, .noPeerPort, .notConnected,
            .connectionLost, .notStarted, .alreadyStarted, .stopped:
            false
        }
    }

    /// A refusal of one replica's identity: with other replicas to go to, the client passes it over.
    public var refusesReplica: Bool {
        switch self {
        case .identityChanged, .otherIdentity: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .unreachable(let locator, let reason):
            "Cannot reach the locator at \(locator): \(reason). Check that it is running and that the address is right."
        case .tlsFailed(let locator, let reason):
            "The secure connection to the locator at \(locator) failed: \(reason). "
                + "Check that the address is a p2pchat locator (or use --legacy-locator HOST:PORT for a course server)."
        case .identityChanged(let locator, let pinned, let presented, let file):
            // Worded like SSH's changed-host-key warning: this may be an attack.
            """
            WARNING: LOCATOR IDENTITY HAS CHANGED! Refusing to connect to \(locator). \
            Someone may be impersonating the locator (a man-in-the-middle attack), \
            or the locator may have been reinstalled with a new identity. \
            Pinned fingerprint: \(pinned.grouped). \
            Presented fingerprint: \(presented?.grouped ?? "no usable certificate"). \
            If you have confirmed the new fingerprint with the locator's operator, \
            delete the line for \(locator) from \(file) and connect again.
            """
        case .otherIdentity(let locator, let pinnedAt, let pinned, let presented):
            """
            WARNING: LOCATOR REPLICA \(locator) HAS ANOTHER IDENTITY THAN ITS SERVICE! Refusing it. \
            The replicas of one service share one identity, pinned at \(pinnedAt): \(pinned.grouped). \
            \(locator) presented: \(presented?.grouped ?? "no usable certificate"). \
            Someone may be impersonating a replica, or it was not started with the service's \
            database and --store-key-file; tell the locator's operator.
            """
        case .knownLocatorsUnreadable(let file, let reason):
            "Cannot read the pinned locator fingerprints in \(file): \(reason). Fix or remove the file."
        case .invalidUser(let user, let reason):
            "'\(user.prefix(40))' cannot log in: \(reason)."
        case .invalidPassword(let reason):
            "The password cannot be used: \(reason)."
        case .invalidPeerPort(let port):
            "\(port) is not a port number (1 to 65535)."
        case .wrongPassword(let user, let locator):
            "Wrong password for \(user) at the locator \(locator)."
        case .registrationClosed(let user):
            "\(user) is not registered and the locator's registration is closed; ask its operator to add you to the roster."
        case .notOnRoster(let user):
            "The course server does not allow the id \(user) (Incorrect No.)."
        case .refused(let error):
            "The locator refused the request: \(error.message) (\(error.code.rawValue))."
        case .protocolViolation(let what):
            "The locator broke its protocol: \(what)."
        case .noPeerPort(let user, let implied):
            "\(user) is online, but a course user's peer port is the last five digits of the id, and \(implied) is not a port, so \(user) cannot be reached."
        case .notConnected(let locator):
            "Not connected to the locator at \(locator) right now (the client connects again by itself); try again in a moment."
        case .connectionLost(let locator, let reason):
            "The connection to the locator at \(locator) was lost: \(reason)."
        case .loggedInElsewhere:
            "This user logged in elsewhere, which ended this session."
        case .notStarted:
            "The locator client has not logged in yet."
        case .alreadyStarted:
            "The locator client is already started."
        case .stopped:
            "The locator client was stopped."
        case .failed(let reason):
            "The locator client gave up: \(reason)"
        }
    }
}
