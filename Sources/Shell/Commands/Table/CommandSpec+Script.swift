/// Commands for scripted sessions.
extension CommandSpec {
    static let scriptCommands: [CommandSpec] = [wait, sleep]

    public static let wait = CommandSpec(
        name: "wait", arguments: "EVENT [KEY=VALUE ...] [timeout=SECONDS]",
        summary: "wait for an event (scripts)",
        help: """
            Waits until an event called EVENT arrives whose fields equal every KEY=VALUE given, and \
            fails after timeout SECONDS (default 30). Events and their fields are those of the \
            --json output: message (from, to, text, id, ...), presence (id, online), friend_request \
            (from, fingerprint), friend_added (id), delivered (to, id), and so on. A value is \
            compared with the field as text (online=true, unread=3); put double quotes around a \
            value with spaces: text="see you". \
            Example: /wait message from=bob text="hi alice" timeout=10
            """,
        completion: [.eventName, .none], minimumArguments: 1, maximumArguments: nil, section: .script,
        action: .run({ words in try WaitCondition(arguments: words.words) }) { session, condition in
            guard await session.waits.wait(for: condition) != nil else {
                throw CommandFailure("timed out after \(condition.timeout) waiting for \(condition.event)")
            }
        })

    public static let sleep = CommandSpec(
        name: "sleep", arguments: "SECONDS",
        summary: "pause for SECONDS (scripts)",
        help: """
            Pauses for SECONDS, a number that may have decimals, at most a day; events keep \
            arriving meanwhile. Example: /sleep 0.5
            """,
        completion: [.seconds], minimumArguments: 1, maximumArguments: 1, section: .script,
        action: .run({ words in try words.seconds(0) }) { _, duration in
            try await Task.sleep(for: duration)
        })
}
