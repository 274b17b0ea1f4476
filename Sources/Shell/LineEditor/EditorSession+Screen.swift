@preconcurrency import CEditLine
import Foundation
@preconcurrency import Glibc

/// Drawing: text above the prompt, the prompt itself, and where the edited area starts.
extension EditorSession {
    func printAbove(_ texts: [String]) {
        let body = texts.map(Self.terminalLines).joined()
        switch mode {
        case .editing, .search:
            clearEditedArea(includingStatus: true)
            emit(body + statusText())
            libedit.redraw()
        case .secret(let prompt, _, _), .choice(let prompt, _, _):
            emit("\r\u{1B}[K" + body + prompt)
        }
    }

    /// Lines kept just above the prompt (a transfer's progress), redrawn in place.
    func setStatus(_ lines: [String]) {
        guard lines != status else { return }
        guard case .editing = mode else {
            status = lines
            return
        }
        clearEditedArea(includingStatus: true)
        status = lines
        emit(statusText())
        libedit.redraw()
    }

    /// The status lines, each cut to one row, and remembered as drawn.
    func statusText() -> String {
        let columns = max(libedit.columns - 1, 1)
        statusRows = status.count
        return status.map { line in
            var width = 0
            let kept = line.unicodeScalars.prefix { scalar in
                width += TerminalText.columns(of: scalar)
                return width <= columns
            }
            return String(String.UnicodeScalarView(kept)) + "\r\n"
        }.joined()
    }

    /// Clears the screen and draws prompt and line at the top.
    func clearScreen() {
        switch mode {
        case .editing, .search: break
        case .secret, .choice: return
        }
        emit("\u{1B}[H\u{1B}[2J")
        libedit.redraw()
    }

    /// Text with every line ending in CR LF, which is right whatever the terminal's output flags are.
    static func terminalLines(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        return lines.map { line in line.hasSuffix("\r") ? line + "\n" : line + "\r\n" }.joined()
    }

    func setPrompt(_ text: String) {
        if case .search(let search, _, let line) = mode {
            mode = .search(search, savedPrompt: text, savedLine: line)  // shown when the search ends
            return
        }
        guard PromptText(text) != prompt else { return }
        guard case .editing = mode else {
            replacePrompt(text)
            return
        }
        clearEditedArea()  // measured with the old prompt
        replacePrompt(text)
        libedit.redraw()
    }

    func replacePrompt(_ text: String) {
        promptSource = text
        prompt = PromptText(text)
        if let copy = strdup(prompt.marked) {
            free(promptCString)
            promptCString = copy
        }
    }

    // MARK: Screen

    /// The row, counted from the prompt's first, on which the prompt followed by `text` ends.
    func endRow(of text: some Sequence<Unicode.Scalar>) -> Int {
        TerminalText.endRow(of: prompt.visible + Array(text), columns: libedit.columns)
    }

    /// Moves to the start of the prompt and erases from there down: the rows above the cursor's row are
    /// `(prompt width + width before the cursor) / columns`, as libedit wraps.
    /// With `includingStatus`, the status lines above the prompt go too (to be drawn again).
    func clearEditedArea(includingStatus: Bool = false) {
        let line = libedit.line
        var row = endRow(of: line.scalars.prefix(line.cursor))
        if includingStatus {
            row += statusRows
            statusRows = 0
        }
        emit("\r" + (row > 0 ? "\u{1B}[\(row)A" : "") + Self.eraseDown)
    }

    /// Erases from the start of the cursor's row to the end of the screen. Not a plain `ESC [J`: at the
    /// screen's top-left corner (where a line taller than the screen leaves the cursor) tmux keeps what that
    /// erases in its history, so the wiped prompt and line would come back above the next one there. So the
    /// cursor's row is erased alone, and the rest from the row below (which at the bottom is the same row).
    static let eraseDown = "\u{1B}[2K\u{1B}7\u{1B}[B\u{1B}[J\u{1B}8"

    /// Empties the line and draws a fresh prompt: leaving unbuffered mode resets libedit's line, entering it
    /// again switches to raw mode and draws the prompt where the cursor is.
    func resetLine() {
        libedit.set(EL_UNBUFFERED, false)
        libedit.set(EL_UNBUFFERED, true)
    }

    /// Terminals then mark pasted text (`ESC [200~` … `ESC [201~`), so a paste is never taken for typing.
    static let bracketedPasteOn = "\u{1B}[?2004h"
    static let bracketedPasteOff = "\u{1B}[?2004l"

    /// Writes through the same `FILE` as libedit, so the two never interleave out of order.
    func emit(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            _ = fwrite(bytes.baseAddress, 1, bytes.count, stdout)
        }
        fflush(stdout)
    }
}
