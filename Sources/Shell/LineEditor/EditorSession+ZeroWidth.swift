@preconcurrency import CEditLine
import Foundation

extension EditorSession {
    /// Keeps libedit's columns the terminal's when the line holds a character of no width: a combining
    /// accent, an emoji's variation selector (❤️), a zero-width joiner (👨‍👩‍👧).
    ///
    /// Updating the line in place, libedit (3.1-20221030) gives such a character a column of its own,
    /// which tmux and most terminals fold into the previous one: its cursor is then one column off, and
    /// an insertion in the middle overwrites a neighbour (tmux tests showed `漢X字` drawn as `漢X `).
    /// Drawn from scratch, libedit leaves them out and places every other character right. So accents
    /// that compose are composed (NFC: `e` + U+0301 becomes `é`, as most keyboards send it; the text
    /// means the same), and a line that still holds a zero-width character is drawn from scratch after
    /// each key: it then shows `❤` for `❤️` and the joined emoji side by side, and sends them unchanged.
    func settleZeroWidthCharacters() {
        // Read in place: this runs after every key, and a pasted line may be long.
        guard libedit.lineContains(where: Self.takesNoColumn) else { return }
        let line = libedit.line
        clearEditedArea()
        let text = String(String.UnicodeScalarView(line.scalars))
        let composed = text.precomposedStringWithCanonicalMapping
        if !composed.unicodeScalars.elementsEqual(line.scalars) {
            let beforeCursor = String(String.UnicodeScalarView(line.scalars.prefix(line.cursor)))
            libedit.replaceLine(with: composed)
            libedit.moveCursor(to: beforeCursor.precomposedStringWithCanonicalMapping.unicodeScalars.count)
        }
        libedit.redraw()
    }

    /// A printable character that takes no column (wcwidth 0); every one is at U+0300 or above.
    static func takesNoColumn(_ value: UInt32) -> Bool {
        value >= 0x300 && p2p_wcwidth(value) == 0
    }
}
