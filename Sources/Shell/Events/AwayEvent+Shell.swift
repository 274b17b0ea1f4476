import ChatEngine

/// Friends going away and coming back.
extension AwayEvent: ShellEvent {
    static let kinds: [OutputKind] = [.away]

    var shown: ShownEvent {
        switch self {
        case .changed(let user, let reason):
            ShownEvent(.away, ["id": .string(user), "reason": JSONValue(reason)]) { renderer in
                [
                    renderer.notice(
                        reason.map { "\(renderer.nick(user)) is away: \(SafeText.line($0))" } ?? "\(renderer.nick(user)) is back")
                ]
            }
        }
    }
}

extension OutputKind {
    /// A friend went away with `reason`, or came back: `reason` is `null`.
    static let away = OutputKind("away", fields: ["id", "reason"])
}
