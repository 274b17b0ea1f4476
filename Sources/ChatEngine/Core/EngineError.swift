/// Why a command to the engine could not be done, for reasons of the core (the login session, a
/// user id, reaching a peer); each says what to do about it. A part's own reasons are its own
/// error type (`FriendError`, `MessageError`, `TransferError`, `GroupError`, …).
public enum EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    case notLoggedIn
    case alreadyLoggedIn(String)
    case invalidUser(String)
    case yourself
    case offline(String)
    case unreachable(String, reason: String)
    case identityMissing(user: String, directory: String)
    case loggedOutDuringLogin(String)

    public var description: String {
        switch self {
        case .notLoggedIn: "not logged in: use /login ID first"
        case .alreadyLoggedIn(let user): "already logged in as \(user): /logout first"
        case .invalidUser(let text): "'\(text.prefix(40))' is not a user id: a user id is 1 to 32 letters, digits, '.', '_' or '-'"
        case .yourself: "that is you"
        case .offline(let user): "\(user) is offline"
        case .unreachable(let user, let reason): "cannot reach \(user): \(reason)"
        case .loggedOutDuringLogin(let user): "the login as \(user) was ended by a logout before it finished"
        case .identityMissing(let user, let directory):
            "\(user)'s identity.pem is missing from \(directory), but \(user)'s friends and history (chat.sqlite) are there, "
                + "and friends know \(user) by that key: restore identity.pem from a backup, "
                + "or start a new identity on purpose with --new-identity (friends will be warned that the key changed)"
        }
    }
}
