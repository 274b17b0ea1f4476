/// Why a command about friends could not be done; each says what to do about it. Other parts
/// throw `notFriend` too: what they do is only for friends.
public enum FriendError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFriend(String)
    case alreadyFriend(String)
    case noRequest(String)
    /// The friend presented yet another key between `/verify` and its confirmation.
    case keyChangedWhileVerifying(String)
    /// The key stored for the friend is not a fingerprint: the database was changed by hand.
    case unreadableKey(String)

    public var description: String {
        switch self {
        case .notFriend(let user): "\(user) is not your friend: send a request with /add \(user)"
        case .alreadyFriend(let user): "\(user) is already your friend"
        case .noRequest(let user): "there is no friend request from \(user): /requests lists them"
        case .keyChangedWhileVerifying(let user):
            "\(user) presented another key just now: compare the new safety number (/verify \(user)) before you confirm"
        case .unreadableKey(let user): "the key stored for \(user) is damaged: /remove and /add \(user) again"
        }
    }
}
