/// Messages: sending, conversations, history and search.
extension CommandSpec {
    static let messageCommands: [CommandSpec] = [msg, me, chat, history, search]

    public static let msg = CommandSpec(
        name: "msg", arguments: "ID TEXT",
        summary: "send TEXT to your friend ID, or to every member of #GROUP",
        help: """
            Sends TEXT, the rest of the line with its spaces, to ID, who must be your friend. The \
            command finishes when ID has stored the message (delivered) or, after a few seconds \
            without an answer, when the message is queued: a queued message is kept on disk and \
            sent whenever ID is reachable, also after a restart. With #GROUP instead of ID, TEXT goes \
            to every other member of the group, also those offline, each exactly once; the command \
            finishes at once with the text queued. Example: /msg bob see you at ten
            """,
        completion: [.conversation, .text], minimumArguments: 2, maximumArguments: 2, takesRestOfLine: true,
        action: .run({ words in (to: words[0], text: words[1]) }) { session, message in
            try await session.sendMessage(message.text, to: message.to)
        })

    public static let me = CommandSpec(
        name: "me", arguments: "ACTION",
        summary: "say what you do, as * you ACTION",
        help: """
            Sends ACTION, the rest of the line, to the current conversation as an action: /me waves \
            shows as * alice waves on both sides. It is delivered, stored and searched like any \
            message. Needs a conversation: /chat ID first. Example: /me waves
            """,
        completion: [.text], minimumArguments: 1, maximumArguments: 1, takesRestOfLine: true,
        action: .run({ words in words[0] }) { session, action in
            guard let peer = session.conversation else {
                throw CommandFailure("/me needs a conversation: /chat ID first, then /me waves")
            }
            try await session.sendMessage(action, to: peer, action: true)
        })

    public static let chat = CommandSpec(
        name: "chat", arguments: "[ID]",
        summary: "talk to ID: lines not starting with / go to ID",
        help: """
            Makes ID the current conversation: every line that does not start with / is sent to ID, \
            as with /msg ID. To send a line that starts with /, write it with //. Without ID, \
            leaves the current conversation. /chat #GROUP talks to a group. Example: /chat bob
            """,
        completion: [.conversation], maximumArguments: 1,
        action: .run({ words in words.optional(0) }) { session, peer in try await session.chat(peer) })

    public static let history = CommandSpec(
        name: "history", arguments: "[ID] [N]",
        summary: "show the last N messages with ID",
        help: """
            Shows the last N messages (default \(CommandLineParser.defaultHistoryCount), at most \
            \(CommandLineParser.maximumHistoryCount)) exchanged with ID, oldest first, and marks \
            them read; your own undelivered ones are marked queued. Without ID, shows the current \
            conversation; a lone number is N, so /history 50 shows the last 50 messages of the \
            current conversation (for a user whose id is a short number, give both: /history 42 20). \
            With #GROUP, shows the group's messages; yours not yet delivered to every member are \
            marked queued. Each message shows its number in the conversation first, the N of /reply N. \
            When you and ID share read receipts (/set receipts on), a line --- read by ID --- follows \
            the last of your messages ID has read. Example: /history bob 50
            """,
        completion: [.conversation, .number], maximumArguments: 2,
        action: .run(HistoryRequest.init) { session, request in try await session.history(request) })

    public static let search = CommandSpec(
        name: "search", arguments: "TEXT",
        summary: "search all conversations for TEXT",
        help: """
            Searches every stored message, in all conversations and groups, and shows the most recent matches, \
            oldest first. Every word of TEXT must occur, in any order and any case, and a word also \
            matches longer words it starts: /search meet finds "meeting at noon". \
            Example: /search meet noon
            """,
        completion: [.text], minimumArguments: 1, maximumArguments: 1, takesRestOfLine: true,
        action: .run({ words in words[0] }) { session, text in try await session.search(text) })
}
