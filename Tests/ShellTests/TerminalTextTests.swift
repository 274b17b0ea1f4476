import Testing

@testable import Shell

@Suite struct TerminalTextTests {
    init() {
        TerminalText.useUTF8Locale()  // wcwidth knows only ASCII in the "C" locale
    }

    @Test func escapesTakeNoColumns() {
        #expect(TerminalText.width(of: "\u{1B}[1;32malice\u{1B}[0m> ") == 7)
        #expect(TerminalText.width(of: "\u{1B}]0;title\u{7}x") == 1)
        #expect(TerminalText.width(of: "\u{1}\u{1B}[31m\u{2}x") == 1)
    }

    @Test func wideAndCombiningCharacters() {
        #expect(TerminalText.width(of: "你好") == 4)
        #expect(TerminalText.width(of: "é → x") == 5)
        #expect(TerminalText.width(of: "e\u{301}") == 1)
    }

    @Test func rowsWrapEagerlyWhenARowIsFull() {
        let row = { (text: String) in TerminalText.endRow(of: text.unicodeScalars, columns: 10) }
        #expect(row("") == 0)
        #expect(row(String(repeating: "a", count: 9)) == 0)
        #expect(row(String(repeating: "a", count: 10)) == 1)
        #expect(row(String(repeating: "a", count: 25)) == 2)
    }

    @Test func aWideCharacterThatDoesNotFitMovesToTheNextRow() {
        // 9 columns used, a 2-column character starts the next row and ends at column 2.
        #expect(TerminalText.endRow(of: "aaaaaaaaa你".unicodeScalars, columns: 10) == 1)
        #expect(TerminalText.endRow(of: "aaaaaaaa你".unicodeScalars, columns: 10) == 1)
        #expect(TerminalText.endRow(of: "aaaaaaa你".unicodeScalars, columns: 10) == 0)
    }

    @Test func controlCharactersAreDrawnAsCaretPairs() {
        #expect(TerminalText.columns(of: "\u{7}") == 2)
        #expect(TerminalText.endRow(of: "aaaaaaaaa\u{7}".unicodeScalars, columns: 10) == 1)
    }
}
