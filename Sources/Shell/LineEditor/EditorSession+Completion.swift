@preconcurrency import CEditLine

extension EditorSession {
    static let completeCallback: p2p_command_fn = { editLine, _ in
        guard let session = session(of: editLine) else { return UInt8(CC_ERROR) }
        return session.complete()
    }

    /// Tab: an id in text is replaced by the first match, and by the next on every further Tab; anything else is
    /// completed as far as the candidates agree, and when they agree no further they are listed above the prompt.
    private func complete() -> UInt8 {
        let line = libedit.line
        if var cycle, cycle.lineAfter == line.scalars, cycle.cursorAfter == line.cursor {
            let (remove, insert) = cycle.advance()
            el_deletestr(libedit.editLine, Int32(remove))
            libedit.insert(insert)
            remember(cycle)
            return UInt8(CC_REFRESH)
        }
        cycle = nil
        let context = CompletionContext(line: String(String.UnicodeScalarView(line.scalars)), cursorOffset: line.cursor)
        let word = String(context.word)
        let completion = configuration.completer(context)
        switch completion.style {
        case .cycle(let suffix):
            guard let started = CompletionCycle(word: word, candidates: completion.candidates, suffix: suffix) else {
                return UInt8(CC_ERROR)
            }
            el_deletestr(libedit.editLine, Int32(word.unicodeScalars.count))
            libedit.insert(started.inserted)
            remember(started)
            return UInt8(CC_REFRESH)
        case .commonPrefix:
            switch CompletionListing.action(word: word, candidates: completion.candidates, columns: libedit.columns) {
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

    private func remember(_ cycle: CompletionCycle) {
        var cycle = cycle
        let line = libedit.line
        (cycle.lineAfter, cycle.cursorAfter) = (line.scalars, line.cursor)
        self.cycle = cycle
    }
}
