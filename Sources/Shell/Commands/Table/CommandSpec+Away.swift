/// Being away.
extension CommandSpec {
    static let awayCommands: [CommandSpec] = [away]

    public static let away = CommandSpec(
        name: "away", arguments: "[REASON]",
        summary: "mark yourself away, or back",
        help: """
            With REASON, marks you away: your friends are told (directly, not through the locator), \
            see it in /friends, and someone who messages you is told once that you are away. The \
            prompt shows (away). Without REASON, marks you back. Example: /away lunch, back at two
            """,
        completion: [.text], maximumArguments: 1, takesRestOfLine: true,
        action: .run({ words in words.optional(0).flatMap { $0.isEmpty ? nil : $0 } }) { session, reason in
            try await session.setAway(reason)
        })
}
