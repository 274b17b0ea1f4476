/// The kinds of results, one per command that produces one (a command that failed prints `error`).
///
/// - `sent`: `delivery` is `delivered` or `queued`
/// - `friends`: an array of `{id, online, unread, fingerprint, away, verified, key_changed}`; `away`
///   is the reason or `null`; `key_changed` is true while a new key they presented waits for `/verify`
/// - `verification`: `safety_number` is 60 digits in groups of five; `offered` the number of a new key
///   the friend presented, or `null`
/// - `requests`: `incoming`, `outgoing` are arrays of `{id, fingerprint, time}`
/// - `query`: `address`, `port`, `fingerprint` are `null` when offline; `port` and `fingerprint` also
///   for a course-protocol client
/// - `history`, `unread`, `search`: `messages` is an array of message objects, the fields of
///   `message` without `event`; `unread` is what `/chat ID` shows under `--- unread ---`; `history`'s
///   `read_up_to` is the id of your newest message the friend said they read (read receipts), or `null`
/// - `groups`: an array of `{group, id, owner, members, online, unread}`; `members` and `online`
///   count members
/// - `group_info`: `left_at` is when you left it (`null` while you are in it); `members` is an array
///   of `{id, online, has_group, waiting_texts}`, where `waiting_texts` counts your texts the member
///   has not acked
/// - `whoami`: `peer_port` is `null` when not listening
/// - `status`: `user` is `null` when logged out
/// - `files`: an array of `{transfer, direction, peer, name, size, bytes, percent, bytes_per_second,
///   state}`, newest first
/// - `help`: an array of `{name, usage, summary}`; for `/help COMMAND` one entry that also has `help`
extension OutputKind {
    static let sent = OutputKind("sent", fields: ["to", "id", "delivery"])
    static let friends = OutputKind("friends", fields: ["friends"])
    static let verification = OutputKind("verification", fields: ["id", "safety_number", "verified", "offered"])
    static let requests = OutputKind("requests", fields: ["incoming", "outgoing"])
    static let query = OutputKind("query", fields: ["id", "online", "address", "port", "fingerprint", "path", "rtt_ms"])
    static let history = OutputKind("history", fields: ["with", "messages", "read_up_to"])
    static let unread = OutputKind("unread", fields: ["with", "messages"])
    static let search = OutputKind("search", fields: ["query", "messages"])
    static let groups = OutputKind("groups", fields: ["groups"])
    static let groupInfo = OutputKind("group_info", fields: ["group", "id", "owner", "version", "left_at", "members"])
    static let whoami = OutputKind("whoami", fields: ["user", "fingerprint", "peer_port", "locator"])
    static let status = OutputKind(
        "status", fields: ["user", "logged_in", "locator_connected", "peer_port", "friends_online", "friends", "queued"])
    static let info = OutputKind("info", fields: ["message"])
    static let files = OutputKind("files", fields: ["transfers"])
    static let help = OutputKind("help", fields: ["commands"])

    /// Every kind of result, in the documented order.
    public static let results: [OutputKind] = [
        .sent, .friends, .verification, .requests, .query, .history, .unread, .search, .groups, .groupInfo, .whoami, .status, .info,
        .files, .help,
    ]
}
