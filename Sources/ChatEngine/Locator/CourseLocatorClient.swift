import ChatIdentity
import ChatWire
import Logging

/// The course server's dialect: plain text, ten-digit ids, a shared password, no fingerprints,
/// and no push, so watched users are polled. A reply has no terminator (it is what one read
/// brings), so requests go one at a time.
actor CourseLocatorClient: DialectLocatorClient {
    static let mode = Mode.course
    /// Two replies written back to back could arrive as one read.
    static let pipelinesRequests = false

    nonisolated let setup: LocatorClientSetup
    var state = LocatorClientState<LegacyRequest, LegacyReply>()

    /// The last presence reported for each watched user: polling reports only changes.
    var lastPresence: [String: PeerAddress?] = [:]
    /// Users whose id implies no valid port, already warned about.
    var unreachableWarned: Set<String> = []

    init(setup: LocatorClientSetup) {
        self.setup = setup
    }

    /// There is nothing to advertise: others reach a course user at the port the id implies.
    func prepare(peerPort: Int, fingerprint: ChatIdentity.Fingerprint) throws(LocatorClientError) {
        guard UserName.isLegacyID(user) else { throw .invalidUser(user, reason: CourseID.rule) }
        let implied = CourseID.peerPort(of: user)
        if implied.port == nil {
            logger.warning(
                "others cannot reach this course id: its last five digits are not a port",
                metadata: ["implied": "\(implied.value)"])
        } else if implied.port != peerPort {
            logger.notice(
                "course users are reached at the last five digits of their id, not the given peer port",
                metadata: ["implied": "\(implied.value)", "peerPort": "\(peerPort)"])
        }
    }

    func query(_ user: String) async throws -> PeerAddress? {
        try await lookup(user, on: try readyLink())
    }

    func watch(_ users: some Sequence<String> & Sendable) async {
        let added = addToWatched(users, validName: UserName.isLegacyID)
        // Otherwise polled once online.
        guard !added.isEmpty, state.linkReady, state.link != nil, state.phase == .online else { return }
        await poll(added, forceEmit: true)
    }

    func unwatch(_ users: some Sequence<String> & Sendable) async {
        for user in removeFromWatched(users) {
            lastPresence.removeValue(forKey: user)
        }
    }
}
