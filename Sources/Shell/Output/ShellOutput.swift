import ChatEngine
import ChatWire

/// Everything the shell prints: engine events and the results of commands. ``OutputRenderer`` turns one
/// into text for people or a line of JSON; ``EventMatcher`` checks one against a `/wait`.
public enum ShellOutput: Sendable, Equatable {
    case event(EngineEvent)
    /// A message of yours that `/msg` or chat text sent; `delivery` says whether it was acked or queued.
    case sent(StoredMessage)
    case friends([ChatEngine.Friend])
    /// `/verify ID`: the safety numbers to compare with a friend.
    case verification(ChatEngine.Verification)
    case requests(incoming: [FriendRequest], outgoing: [FriendRequest])
    /// `address` is `nil` when the user is offline.
    /// `path`: how the live connection to them travels, when there is one.
    case query(id: String, address: PeerAddress?, path: PeerPath? = nil)
    /// `readUpTo`: the id of the newest of your messages the friend said they read (read receipts).
    case history(with: String, messages: [StoredMessage], readUpTo: String? = nil)
    /// `/chat ID`: the messages from ID not read yet, shown once under a marker.
    case unread(with: String, messages: [StoredMessage])
    case search(query: String, messages: [StoredMessage])
    /// `/group list`: the user's groups.
    case groups([GroupSummary])
    /// `/group info NAME`.
    case groupInfo(GroupSummary)
    /// `fingerprint` in wire form (64 hex digits); `peerPort` is `nil` when not listening; `locator` as
    /// `host:port`.
    case whoami(user: String, fingerprint: String, peerPort: Int?, locator: String)
    /// `user` is `nil` when logged out; `queued` counts messages in the outbox.
    case status(user: String?, locatorConnected: Bool, peerPort: Int?, friendsOnline: Int, friends: Int, queued: Int)
    case info(String)
    /// `/files`: every transfer, newest first.
    case files([FileTransfer])
    /// `/help`: every command.
    case help([CommandSpec])
    /// `/help COMMAND`.
    case commandHelp(CommandSpec)
    /// `/help keys`: the keys of the prompt, in a table like `/help`'s.
    case keys([KeyBinding])
    /// A command failed; the text is one line without an `error:` prefix.
    case error(String)

    /// The kind of its JSON form: the `"event"` field and the others.
    public var kind: OutputKind {
        switch self {
        case .event(let event): event.shown.kind
        case .sent: .sent
        case .friends: .friends
        case .verification: .verification
        case .requests: .requests
        case .query: .query
        case .history: .history
        case .unread: .unread
        case .search: .search
        case .groups: .groups
        case .groupInfo: .groupInfo
        case .whoami: .whoami
        case .status: .status
        case .info, .keys: .info
        case .files: .files
        case .help, .commandHelp: .help
        case .error: .error
        }
    }
}
