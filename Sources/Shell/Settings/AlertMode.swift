/// When the shell alerts the user to a message: rings the terminal's bell (`/set bell`), or shows a
/// desktop notification through the terminal (`/set notify`).
public enum AlertMode: String, Sendable, CaseIterable {
    /// Never.
    case off
    /// For a message outside the current conversation, or one that mentions your id: what is addressed to you
    /// and not already in front of you.
    case mentions
    /// For every message, the current conversation's too.
    case all

    /// Whether an incoming `text` from `sender` rings, for `me` talking to `conversation`.
    public func rings(text: String, from sender: String, me: String, conversation: String?) -> Bool {
        switch self {
        case .off: false
        case .mentions: sender != conversation || Mention.mentions(me, in: text)
        case .all: true
        }
    }
}
