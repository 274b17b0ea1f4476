/// Changing what was said: edits, deletes and replies, in the current conversation.
extension CommandSpec {
    static let changeCommands: [CommandSpec] = [edit, delete, reply]

    public static let edit = CommandSpec(
        name: "edit", arguments: "[N] TEXT",
        summary: "change the text of your last message, or your N-th last",
        help: """
            Replaces the text of your last message in the current conversation with TEXT, the rest \
            of the line; with N, of your N-th last (/edit 2 TEXT: the one before the last). A first \
            word that is a number is N. Your friend, or every member of the group, sees the new text \
            marked (edited), also in /history and /search; one who is offline gets the change when \
            next online, after the message itself. The old text is kept only with /set keep-edits \
            on. Only your own messages can be changed. Example: /edit see you at eleven
            """,
        completion: [.number, .text], minimumArguments: 1, maximumArguments: 2, takesRestOfLine: true,
        action: .run(MessageChangeRequest.edit) { session, request in try await session.change(request) })

    public static let delete = CommandSpec(
        name: "delete", arguments: "[N]",
        summary: "delete your last message, or your N-th last",
        help: """
            Deletes your last message in the current conversation, or your N-th last: your friend, \
            or every member of the group, sees [deleted] in its place, also when offline now. The \
            text is gone from both sides and from /search, unless keep-edits is on. Example: /delete
            """,
        completion: [.number], maximumArguments: 1,
        action: .run(MessageChangeRequest.delete) { session, request in try await session.change(request) })

    public static let reply = CommandSpec(
        name: "reply", arguments: "N TEXT",
        summary: "answer message N of /history with TEXT",
        help: """
            Sends TEXT, the rest of the line, to the current conversation as a reply to the message \
            numbered N in /history. The reply shows the start of the message it answers, on both \
            sides. Example: /reply 12 yes, at ten
            """,
        completion: [.number, .text], minimumArguments: 2, maximumArguments: 2, takesRestOfLine: true,
        action: .run(ReplyRequest.init) { session, request in try await session.reply(request) })
}
