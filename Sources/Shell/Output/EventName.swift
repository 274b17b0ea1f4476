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
/// - `away`: `id`, `reason` (a friend went away with `reason`, or came back: `reason` is `null`)
/// - `error`: `message`
/// - `security_warning`: `message`
/// - `file_offer`: `transfer` (the number `/get` takes), `peer`, `name`, `size`, `waiting` (bool: it
///   waits for `/get`; false when taken by itself under `--auto-accept`)
/// - `file_progress`: `transfer`, `peer`, `name`, `size`, `direction`, `bytes`, `percent`,
///   `bytes_per_second` (at most twice a second per transfer)
/// - `file_received`: `transfer`, `peer`, `name`, `size`, `path`, `sha256`
/// - `file_sent`: `transfer`, `peer`, `name`, `size`, `sha256`
/// - `file_failed`: `transfer`, `peer`, `name`, `size`, `reason`
/// - `file_restarted`: `transfer`, `peer`, `name`, `size`, `reason` (a resumed download starts again from zero)
/// - `file_cancelled`: `transfer`, `peer`, `name`, `size`, `reason` (declined or cancelled, by whom)
/// - `group_created`: `group` (the shown `#name`), `owner`, `members` (array of ids, in joining order)
/// - `group_message`: `group`, `id`, `from`, `text`, `time`
/// - `group_member_joined`: `group`, `member`
/// - `group_member_left`: `group`, `member` (left or removed; your own id when it was you)
/// - `group_updated`: `group`, `owner`, `version` (a newer membership applies)
/// - `call_incoming`: `peer`, `from` (both the caller: `/wait call_incoming from=alice`)
/// - `call_ringing`: `peer` (your call rings at `peer`'s side)
/// - `call_started`: `peer`
/// - `call_ended`: `peer`, `reason` (`hung up`, `peer hung up`, `rejected`, `busy`, `no answer`,
///   `missed`, `cancelled`, `peer disconnected`, `failed`, `logged out`), `duration` (whole seconds talked)
/// - `call_stats`: `peer`, `duration` (seconds), `sent_kbps`, `received_kbps`, `loss_percent`,
///   `jitter_ms`, `rtt_ms` (`null` before the first measurement), `buffer_ms` (jitter-buffer depth);
///   printed on `/call` during a call
///
/// Results, one per command that produces one:
/// - `sent`: `to`, `id`, `delivery` (`delivered` or `queued`)
/// - `friends`: `friends` (array of `{id, online, unread, fingerprint, away}`; `away` is the reason or `null`)
/// - `requests`: `incoming`, `outgoing` (arrays of `{id, fingerprint, time}`)
/// - `query`: `id`, `online` (bool), `address`, `port`, `fingerprint` (the last three `null` when
///   offline; `port` and `fingerprint` also `null` for a course-protocol client)
/// - `history`: `with`, `messages` (array of message objects: the fields of `message` without `event`)
/// - `unread`: `with`, `messages` (as `history`: what `/chat ID` shows under `--- unread ---`)
/// - `search`: `query`, `messages`
/// - `groups`: `groups` (array of `{group, id, owner, members, online, unread}`: `members` and
///   `online` count members)
/// - `group_info`: `group`, `id`, `owner`, `version`, `left_at` (when you left it, `null` while you are in it),
///   `members` (array of `{id, online, has_group, waiting_texts}`: `waiting_texts` counts your texts the
///   member has not acked)
/// - `whoami`: `user`, `fingerprint`, `peer_port` (`null` when not listening), `locator`
/// - `status`: `user` (`null` when logged out), `logged_in`, `locator_connected` (bools), `peer_port`,
///   `friends_online`, `friends`, `queued` (numbers)
/// - `info`: `message`
/// - `files`: `transfers` (array of `{transfer, direction, peer, name, size, bytes, percent,
///   bytes_per_second, state}`, newest first)
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
    case away
    case error
    case securityWarning = "security_warning"
    case fileOffer = "file_offer"
    case fileProgress = "file_progress"
    case fileReceived = "file_received"
    case fileSent = "file_sent"
    case fileFailed = "file_failed"
    case fileRestarted = "file_restarted"
    case fileCancelled = "file_cancelled"
    case groupCreated = "group_created"
    case groupMessage = "group_message"
    case groupMemberJoined = "group_member_joined"
    case groupMemberLeft = "group_member_left"
    case groupUpdated = "group_updated"
    case callIncoming = "call_incoming"
    case callRinging = "call_ringing"
    case callStarted = "call_started"
    case callEnded = "call_ended"
    case callStats = "call_stats"
    case sent
    case friends
    case requests
    case query
    case history
    case unread
    case search
    case groups
    case groupInfo = "group_info"
    case whoami
    case status
    case info
    case files
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
        case .away: ["id", "reason"]
        case .callIncoming: ["peer", "from"]
        case .callRinging, .callStarted: ["peer"]
        case .callEnded: ["peer", "reason", "duration"]
        case .callStats: ["peer", "duration", "sent_kbps", "received_kbps", "loss_percent", "jitter_ms", "rtt_ms", "buffer_ms"]
        case .error, .securityWarning, .info: ["message"]
        case .sent: ["to", "id", "delivery"]
        case .friends: ["friends"]
        case .requests: ["incoming", "outgoing"]
        case .query: ["id", "online", "address", "port", "fingerprint"]
        case .history, .unread: ["with", "messages"]
        case .search: ["query", "messages"]
        case .groupCreated: ["group", "owner", "members"]
        case .groupMessage: ["group", "id", "from", "text", "time"]
        case .groupMemberJoined, .groupMemberLeft: ["group", "member"]
        case .groupUpdated: ["group", "owner", "version"]
        case .groups: ["groups"]
        case .groupInfo: ["group", "id", "owner", "version", "left_at", "members"]
        case .whoami: ["user", "fingerprint", "peer_port", "locator"]
        case .status: ["user", "logged_in", "locator_connected", "peer_port", "friends_online", "friends", "queued"]
        case .help: ["commands"]
        case .fileOffer: Self.transferFields + ["waiting"]
        case .fileProgress: Self.transferFields + ["direction", "bytes", "percent", "bytes_per_second"]
        case .fileReceived: Self.transferFields + ["path", "sha256"]
        case .fileSent: Self.transferFields + ["sha256"]
        case .fileFailed, .fileRestarted, .fileCancelled: Self.transferFields + ["reason"]
        case .files: ["transfers"]
        }
    }

    /// The fields of a message object, in `message` events and in `history` and `search` results.
    static let messageFields = ["id", "from", "to", "text", "time", "direction", "delivery", "action"]

    /// The fields every file event has.
    static let transferFields = ["transfer", "peer", "name", "size"]

    /// Whether it arrives on its own (from the engine) rather than as the result of a command.
    public var isEvent: Bool {
        switch self {
        case .loggedIn, .loggedOut, .locator, .presence, .friendRequest, .friendAdded, .friendRemoved, .message,
            .delivered, .away, .error, .securityWarning, .fileOffer, .fileProgress, .fileReceived, .fileSent,
            .fileFailed, .fileRestarted, .fileCancelled, .groupCreated, .groupMessage, .groupMemberJoined, .groupMemberLeft,
            .groupUpdated, .callIncoming, .callRinging, .callStarted, .callEnded, .callStats:
            true
        case .sent, .friends, .requests, .query, .history, .unread, .search, .whoami, .status, .info, .files, .help,
            .groups, .groupInfo:
            false
        }
    }

    /// The names `/wait` accepts, in the documented order.
    public static let events: [EventName] = allCases.filter(\.isEvent)
}
