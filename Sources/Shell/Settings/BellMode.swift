/// When the shell rings the terminal's bell for a message (`/set bell`).
public enum BellMode: String, Sendable, CaseIterable {
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
