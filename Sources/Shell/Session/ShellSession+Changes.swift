import ChatEngine

extension ShellSession {
    /// `/edit` and `/delete`: shows the message as it is now, as a sent one is shown.
    func change(_ request: MessageChangeRequest) async throws {
        let engine = try requireEngine()
        try await holdingEvents {
            let changed =
                if let text = request.text {
                    try await engine.editMessage(text, in: request.conversation, .ownNthLast(request.nthLast))
                } else {
                    try await engine.deleteMessage(in: request.conversation, .ownNthLast(request.nthLast))
                }
            show(.sent(try await shownInGroups([changed])[0]))
        }
    }

    /// `/reply N TEXT`: sends the reply and shows it with the start of what it answers.
    func reply(_ request: ReplyRequest) async throws {
        let engine = try requireEngine()
        try await holdingEvents {
            let sent = try await engine.reply(to: request.number, in: request.conversation, text: request.text)
            if request.conversation.hasPrefix("#") { groupTextIDs.insert(sent.id) }
            show(.sent(try await shownInGroups([sent])[0]))
        }
    }
}
