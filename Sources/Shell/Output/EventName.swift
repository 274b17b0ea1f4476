/// The name of every object the shell prints with `--json`, and the fields each one has.
///
/// This is a stable interface for scripts, bots and tests, documented in the man page: one JSON object
/// per line, keys sorted, every object with an `"event"` field naming it. Times are ISO 8601 in UTC
/// with milliseconds (`2025-01-31T09:05:00.250Z`); fingerprints are 64 lowercase hex digits; a
/// missing value is `null`.
///
/// Events, which arrive on their own (and which `/wait` can wait for):
/// - `logged_in`: `user`, `registered` (bool: this login created the account)
/// - `logged_out`: `user`
/// - `locator`: `connected` (bool), `detail`
/// - `presence`: `id`, `online` (bool)
/// - `friend_request`: `from`, `fingerprint`
/// - `friend_added`: `id`
/// - `friend_removed`: `id` (the friend removed you)
/// - `message`: `id`, `from`, `to`, `text`, `time` (the sender's clock), `direction` (`incoming` or
///   `outgoing`), `delivery` (outgoing: `queued` or `delivered`; incoming: `null`)
/// - `delivered`: `to`, `id` (a message of yours was stored by its receiver)
/// - `error`: `message`
/// - `security_warning`: `message`
/// - `group_created`: `group` (the shown `#name`), `owner`, `members` (array of ids, in joining order)
/// - `group_message`: `group`, `id`, `from`, `text`, `time`
/// - `group_member_joined`: `group`, `member`
/// - `group_member_left`: `group`, `member` (left or removed; your own id when it was you)
/// - `group_updated`: `group`, `owner`, `version` (a newer membership applies)
///
/// Results, one per command that produces one:
/// - `sent`: `to`, `id`, `delivery` (`delivered` or `queued`)
/// - `friends`: `friends` (array of `{id, online, unread, fingerprint}`)
/// - `requests`: `incoming`, `outgoing` (arrays of `{id, fingerprint, time}`)
/// - `query`: `id`, `online` (bool), `address`, `port`, `fingerprint` (the last three `null` when
///   offline; `port` and `fingerprint` also `null` for a course-protocol client)
/// - `history`: `with`, `messages` (array of message objects: the fields of `message` without `event`)
/// - `search`: `query`, `messages`
/// - `groups`: `groups` (array of `{group, id, owner, members, online, unread}`: `members` and
///   `online` count members)
/// - `group_info`: `group`, `id`, `owner`, `version`, `members` (array of `{id, online, has_group}`)
/// - `whoami`: `user`, `fingerprint`, `peer_port` (`null` when not listening), `locator`
/// - `status`: `user` (`null` when logged out), `logged_in`, `locator_connected` (bools), `peer_port`,
///   `friends_online`, `friends`, `queued` (numbers)
/// - `info`: `message`
/// - `help`: `commands` (array of `{name, usage, summary}`; for `/help COMMAND` one entry that also
///   has `help`, the full text)
/// - `error` (as above) for a command that failed.
public enum EventName: String, Sendable, Hashable, CaseIterable {
    case loggedIn = "logged_in"
    case loggedOut = "logged_out"
    case locator
    case presence
    case friendRequest = "friend_request"
    case friendAdded = "friend_added"
    case friendRemoved = "friend_removed"
    case message
    case delivered
    case error
    case securityWarning = "security_warning"
    case groupCreated = "group_created"
    case groupMessage = "group_message"
    case groupMemberJoined = "group_member_joined"
    case groupMemberLeft = "group_member_left"
    case groupUpdated = "group_updated"
    case sent
    case friends
    case requests
    case query
    case history
    case search
    case groups
    case groupInfo = "group_info"
    case whoami
    case status
    case info
    case help

    /// The fields besides `event`, in the documented order.
    public var fields: [String] {
        switch self {
        case .loggedIn: ["user", "registered"]
        case .loggedOut: ["user"]
        case .locator: ["connected", "detail"]
        case .presence: ["id", "online"]
        case .friendRequest: ["from", "fingerprint"]
        case .friendAdded, .friendRemoved: ["id"]
        case .message: Self.messageFields
        case .delivered: ["to", "id"]
        case .error, .securityWarning, .info: ["message"]
        case .sent: ["to", "id", "delivery"]
        case .friends: ["friends"]
        case .requests: ["incoming", "outgoing"]
        case .query: ["id", "online", "address", "port", "fingerprint"]
        case .history: ["with", "messages"]
        case .search: ["query", "messages"]
        case .groupCreated: ["group", "owner", "members"]
        case .groupMessage: ["group", "id", "from", "text", "time"]
        case .groupMemberJoined, .groupMemberLeft: ["group", "member"]
        case .groupUpdated: ["group", "owner", "version"]
        case .groups: ["groups"]
        case .groupInfo: ["group", "id", "owner", "version", "members"]
        case .whoami: ["user", "fingerprint", "peer_port", "locator"]
        case .status: ["user", "logged_in", "locator_connected", "peer_port", "friends_online", "friends", "queued"]
        case .help: ["commands"]
        }
    }

    /// The fields of a message object, in `message` events and in `history` and `search` results.
    static let messageFields = ["id", "from", "to", "text", "time", "direction", "delivery"]

    /// Whether it arrives on its own (from the engine) rather than as the result of a command.
    public var isEvent: Bool {
        switch self {
        case .loggedIn, .loggedOut, .locator, .presence, .friendRequest, .friendAdded, .friendRemoved, .message,
            .delivered, .error, .securityWarning, .groupCreated, .groupMessage, .groupMemberJoined, .groupMemberLeft,
            .groupUpdated:
            true
        case .sent, .friends, .requests, .query, .history, .search, .whoami, .status, .info, .help, .groups, .groupInfo:
            false
        }
    }

    /// The names `/wait` accepts, in the documented order.
    public static let events: [EventName] = allCases.filter(\.isEvent)
}
