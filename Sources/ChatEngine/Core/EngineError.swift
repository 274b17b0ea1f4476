/// Why a command to the engine could not be done; each says what to do about it.
public enum EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    case notLoggedIn
    case alreadyLoggedIn(String)
    case invalidUser(String)
    case yourself
    case notFriend(String)
    case alreadyFriend(String)
    case noRequest(String)
    case offline(String)
    case emptyMessage
    case messageTooLong(Int)
    case unreachable(String, reason: String)
    case awayReasonTooLong(Int)
    case unusableFile(String, reason: String)
    case noTransfer(Int)
    case transferState(Int, String)
    case inCall(String)
    case noCall
    case noIncomingCall
    case audio(String)
    case identityMissing(user: String, directory: String)
    case loggedOutDuringLogin(String)

    public var description: String {
        switch self {
        case .notLoggedIn: "not logged in: use /login ID first"
        case .alreadyLoggedIn(let user): "already logged in as \(user): /logout first"
        case .invalidUser(let text): "'\(text.prefix(40))' is not a user id: a user id is 1 to 32 letters, digits, '.', '_' or '-'"
        case .yourself: "that is you"
        case .notFriend(let user): "\(user) is not your friend: send a request with /add \(user)"
        case .alreadyFriend(let user): "\(user) is already your friend"
        case .noRequest(let user): "there is no friend request from \(user): /requests lists them"
        case .offline(let user): "\(user) is offline"
        case .emptyMessage: "the message is empty"
        case .messageTooLong(let limit): "the message is longer than \(limit) bytes"
        case .unreachable(let user, let reason): "cannot reach \(user): \(reason)"
        case .awayReasonTooLong(let limit): "the away reason is longer than \(limit) bytes"
        case .unusableFile(let path, let reason): "cannot send \(path): \(reason)"
        case .noTransfer(let number): "there is no transfer \(number): /files lists them"
        case .transferState(let number, let problem): "transfer \(number) \(problem): /files shows its state"
        case .inCall(let peer): "already in a call with \(peer): /hangup first"
        case .noCall: "not in a call"
        case .noIncomingCall: "nobody is calling"
        case .audio(let problem): problem
        case .loggedOutDuringLogin(let user): "the login as \(user) was ended by a logout before it finished"
        case .identityMissing(let user, let directory):
            "\(user)'s identity.pem is missing from \(directory), but \(user)'s friends and history (chat.sqlite) are there, "
                + "and friends know \(user) by that key: restore identity.pem from a backup, "
                + "or start a new identity on purpose with --new-identity (friends will be warned that the key changed)"
        }
    }
}
