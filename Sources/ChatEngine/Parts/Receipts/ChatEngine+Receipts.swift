import ChatWire

extension ChatEngine {
    private var receipts: ReceiptsPart { parts.part(ReceiptsPart.self) }

    /// Turns read receipts and typing indicators on or off (`/set receipts`, `/set typing`); friends
    /// online are told now, the others on their next connection.
    public func shareReceipts(readReceipts: Bool, typing: Bool) async {
        await receipts.update(readReceipts: readReceipts, typing: typing)
    }

    /// A key was pressed in the query to `peer` (`active`), or its line was sent or cleared. Tells
    /// `peer` when both share typing, at most once every few seconds; nothing for a group.
    public func typing(to peer: String, active: Bool) async {
        guard UserName.isValid(peer) else { return }
        await receipts.typing(to: peer, active: active)
    }

    /// The id of this user's newest message that `peer` said they read; nil when none.
    public func readMark(of peer: String) async throws -> String? {
        try await store.readMark(of: peer)
    }

    /// Receipt and typing frames refused so far (from a non-friend, one who did not opt in, or about
    /// a message never sent to them).
    public var refusedReceipts: Int {
        get async { await receipts.refusedCount }
    }

    /// The user has seen `peer`'s messages: `peer` learns how far, if both share receipts.
    func conversationRead(_ peer: String) async {
        await receipts.conversationRead(peer)
    }
}
