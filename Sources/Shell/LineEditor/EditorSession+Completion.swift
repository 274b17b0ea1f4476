@preconcurrency import CEditLine

extension EditorSession {
    static let completeCallback: p2p_command_fn = { editLine, _ in
        guard let session = session(of: editLine) else { return UInt8(CC_ERROR) }
        return session.complete()
    }

    /// Tab: completes the word before the cursor as far as the candidates agree; when they agree no further,
    /// lists them above the prompt.
    private func complete() -> UInt8 {
        let line = libedit.line
        let context = CompletionContext(line: String(String.UnicodeScalarView(line.scalars)), cursorOffset: line.cursor)
        switch CompletionListing.action(
            word: String(context.word), candidates: configuration.completer(context), columns: libedit.columns)
        {
        case .beep:
            return UInt8(CC_ERROR)
        case .insert(let text):
            libedit.insert(text)
            return UInt8(CC_REFRESH)
        case .list(let listing):
            printAbove([listing])
            return UInt8(CC_NORM)
        }
    }
}
