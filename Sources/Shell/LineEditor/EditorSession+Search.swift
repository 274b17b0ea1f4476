@preconcurrency import CEditLine
@preconcurrency import Glibc

/// Ctrl-R, done by the editor rather than libedit: libedit's search reads keys inside one `el_wgets` call, so
/// events waited until it ended, an arrow key ended it and was then typed as `[C`, and it went on from
/// where the last search stopped. Here each key is one turn of the loop, events print above the search
/// line as above any line, and every search starts from the newest entry.
extension EditorSession {
    static let searchCallback: p2p_command_fn = { editLine, _ in
        session(of: editLine)?.beginSearch()
        return UInt8(CC_NORM)
    }

    private func beginSearch() {
        guard case .editing = mode else { return }
        let line = String(String.UnicodeScalarView(libedit.line.scalars))
        let search = HistorySearch(entries: libedit.history.entries)
        mode = .search(search, savedPrompt: promptSource, savedLine: line)
        show(search, line: line)
    }

    private func show(_ search: HistorySearch, line: String) {
        clearEditedArea()
        replacePrompt(search.prompt)
        libedit.replaceLine(with: line)
        libedit.redraw()
    }

    /// Typing extends the query, Ctrl-R goes to an older match, Backspace shortens the query; Enter runs the
    /// match, an arrow or another control key leaves it in the line to edit, Ctrl-G puts the old line back.
    func readSearchKeys() {
        guard case .search(var search, let savedPrompt, let savedLine) = mode else { return }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(STDIN_FILENO, &buffer, buffer.count)
        guard count > 0 else { return }
        var typed: [UInt8] = []
        func takeTyped() {
            if !typed.isEmpty { search.type(String(decoding: typed, as: UTF8.self)) }
            typed.removeAll()
        }
        for byte in buffer[0..<count] {
            switch byte {
            case 0x12:  // Ctrl-R
                takeTyped()
                search.older()
            case 0x7F, 0x08:  // Backspace
                takeTyped()
                search.deleteBackward()
            case 0x0D, 0x0A:  // Enter
                takeTyped()
                endSearch(showing: search.match ?? savedLine, prompt: savedPrompt, submit: true)
                return
            case 0x07:  // Ctrl-G
                endSearch(showing: savedLine, prompt: savedPrompt, submit: false)
                return
            case 0x00..<0x20:
                // An arrow (the rest of its sequence is in this read and goes with it) or another control key.
                takeTyped()
                endSearch(showing: search.match ?? savedLine, prompt: savedPrompt, submit: false)
                return
            default:
                typed.append(byte)
            }
        }
        takeTyped()
        mode = .search(search, savedPrompt: savedPrompt, savedLine: savedLine)
        show(search, line: search.match ?? (search.query.isEmpty ? savedLine : ""))
    }

    /// Back to editing with `line` under the shell's prompt; `submit` enters it as Return would.
    func endSearch(showing line: String, prompt: String, submit: Bool) {
        clearEditedArea()
        mode = .editing
        replacePrompt(prompt)
        guard submit else {
            libedit.replaceLine(with: line)
            libedit.redraw()
            return
        }
        if configuration.echoesEnteredLines { emit(prompt + line + "\r\n") }
        resetLine()
        inputs.yield(.line(line))
    }
}
