import ChatWire
import NIOCore

/// What every course-protocol connection shares: the presence table, the password, the roster and
/// the login rate limit. Answers requests on the connection's event loop.
final class CourseService: Sendable {
    enum Answer {
        case reply(ByteBuffer)
        /// A login with a valid password: it happens after `wait` (the address's login rate).
        case login(name: String, wait: TimeAmount)
        /// Too many logins from this address: the connection is closed.
        case refuse
    }

    static let loggedIn = ByteBuffer(string: LegacyReply.loggedIn.rendered)
    static let loggedOut = ByteBuffer(string: LegacyReply.loggedOut.rendered)
    static let offline = ByteBuffer(string: LegacyReply.offline.rendered)
    static let incorrectNumber = ByteBuffer(string: LegacyReply.incorrectNumber.rendered)
    static let malformed = ByteBuffer(string: LegacyReply.malformed.rendered)

    /// The longest a login waits for its turn before the connection is closed instead.
    static let longestLoginWait = TimeAmount.seconds(2)

    let table: PresenceTable
    private let password: [UInt8]
    private let roster: Set<String>?
    private let logins: RateLimiter
    private let changed: @Sendable ([String]) -> Void

    init(
        table: PresenceTable, password: String, roster: Set<String>?, loginsPerSecond: Double,
        changed: @escaping @Sendable ([String]) -> Void
    ) {
        self.table = table
        self.password = Array(password.utf8)
        self.roster = roster
        self.logins = RateLimiter(perSecond: loginsPerSecond, burst: max(1, loginsPerSecond * 2))
        self.changed = changed
    }

    /// The answer to one request (the readable bytes of `request`); marks `activity` when it is well formed.
    func answer(_ request: ByteBuffer, from host: String, activity: ConnectionActivity) -> Answer {
        request.withUnsafeReadableBytes { bytes in
            guard let parsed = CourseRequestBytes(bytes) else { return .reply(Self.malformed) }
            activity.requestCompleted()
            if let roster, !roster.contains(String(decoding: bytes[parsed.id], as: UTF8.self)) {
                return .reply(Self.incorrectNumber)
            }
            switch parsed {
            case .query(let key, _):
                return .reply(table.courseReply(for: key) ?? Self.offline)
            case .login(_, let id, let given):
                // The course server had no separate answer for a wrong password: it is not a correct message.
                guard bytes[given].elementsEqual(password) else { return .reply(Self.malformed) }
                guard let wait = logins.reserve(host, waitingAtMost: Self.longestLoginWait) else { return .refuse }
                return .login(name: String(decoding: bytes[id], as: UTF8.self), wait: wait)
            case .logout(_, let id):
                let name = String(decoding: bytes[id], as: UTF8.self)
                if table.courseLogout(name) { changed([name]) }
                return .reply(Self.loggedOut)
            }
        }
    }

    func logIn(_ name: String, at address: PeerAddress) {
        let changes = table.courseLogin(name, at: address)
        if !changes.isEmpty { changed(changes) }
    }

    /// The sweep's share: course logins past their time to live go offline; full buckets are forgotten.
    func expire() {
        let gone = table.expireCourseLogins()
        if !gone.isEmpty { changed(gone) }
        logins.prune()
    }
}
