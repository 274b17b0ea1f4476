/// Why a command about friends could not be done; each says what to do about it. Other parts
/// throw `notFriend` too: what they do is only for friends.
public enum FriendError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFriend(String)
    case alreadyFriend(String)
    case noRequest(String)

    public var description: String {
        switch self {
        case .notFriend(let user): "\(user) is not your friend: send a request with /add \(user)"
        case .alreadyFriend(let user): "\(user) is already your friend"
        case .noRequest(let user): "there is no friend request from \(user): /requests lists them"
        }
    }
}
