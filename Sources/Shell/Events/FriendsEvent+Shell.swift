import ChatEngine

/// Friend requests, and friends added and removed.
extension FriendsEvent: ShellEvent {
    static let kinds: [OutputKind] = [.friendRequest, .friendAdded, .friendRemoved]

    var shown: ShownEvent {
        switch self {
        case .request(let from, let fingerprint):
            ShownEvent(.friendRequest, ["from": .string(from), "fingerprint": .string(fingerprint)]) {
                [
                    $0.alert(
                        "friend request from \($0.nick(from)) (fingerprint \(OutputRenderer.grouped(fingerprint, short: true))): "
                            + "/accept \(SafeText.line(from)) or /reject \(SafeText.line(from))")
                ]
            }
        case .added(let id):
            ShownEvent(.friendAdded, ["id": .string(id)]) { [$0.notice("\($0.nick(id)) is now your friend")] }
        case .removed(let id):
            ShownEvent(.friendRemoved, ["id": .string(id)]) { [$0.notice("\($0.nick(id)) is no longer your friend")] }
        }
    }
}

extension OutputKind {
    static let friendRequest = OutputKind("friend_request", fields: ["from", "fingerprint"])
    static let friendAdded = OutputKind("friend_added", fields: ["id"])
    /// The friend removed you.
    static let friendRemoved = OutputKind("friend_removed", fields: ["id"])
}
