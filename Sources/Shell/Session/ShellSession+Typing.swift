extension ShellSession {
    /// The line at the prompt changed (`text` is its start): the friend in front learns that the user types to them, or
    /// stopped (the line was sent, cleared or became a command), when both share typing. The engine
    /// keeps it to one frame every few seconds; a group never hears of it.
    public func lineEdited(_ text: String) async {
        guard settings.typing, let engine, let peer = conversation, !peer.hasPrefix("#") else { return }
        await engine.typing(to: peer, active: Self.isMessageText(text))
    }

    /// Whether a line being typed is on its way to be a message (`/me` is one; other commands are not).
    static func isMessageText(_ text: String) -> Bool {
        guard !text.isEmpty else { return false }
        return !text.hasPrefix("/") || text.lowercased().hasPrefix("/me ")
    }
}
