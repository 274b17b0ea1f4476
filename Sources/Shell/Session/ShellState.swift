import ChatEngine

/// What the prompt and Tab completion show, as the session last saw it: handed to the interactive shell each
/// time it changes, so the prompt is redrawn when a message arrives, not only after Enter.
public struct ShellState: Sendable, Equatable {
    public var user: String?
    public var conversation: String?
    /// Whether the user marked themselves away (`/away REASON`).
    public var away = false
    /// Friend ids in `/friends` order: the conversations Alt-1..9 and Ctrl-N/Ctrl-P go through.
    public var friends: [String] = []
    /// Friends whose safety number the user confirmed (`/verify ID confirmed`).
    public var verified: Set<String> = []
    /// Friends who presented a new key that waits for `/verify`.
    public var keyChanged: Set<String> = []
    /// Users whose friend request is open (completing /accept and /reject).
    public var requesters: [String] = []
    /// The user's groups by shown `#name`.
    public var groups: [String] = []
    /// The members of each group, by its shown `#name`, for `/group kick #GROUP ID`.
    public var groupMembers: [String: [String]] = [:]
    /// The owner of each group, by its shown `#name`: a change of owner is news, a new version alone is not.
    public var groupOwners: [String: String] = [:]
    public var activity: [String: Activity] = [:]
    /// Friends typing to this user now (only those who share typing, and only while this user does).
    public var typing: Set<String> = []
    /// The call in progress or ringing.
    public var call: CallSummary?

    public init(user: String? = nil) {
        self.user = user
    }

    /// The conversations in the order the keys go through them (groups after friends, once they exist).
    public var conversations: [String] {
        friends + groups.map { $0.hasPrefix("#") ? $0 : "#" + $0 }
    }
}
