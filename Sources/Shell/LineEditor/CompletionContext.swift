/// What the user is completing when they press Tab: the whole line, the cursor and the word before it.
///
/// Words are separated by blanks only, so `/msg`, `#group`, `alice@host` and `~/dir/fi` are single words.
public struct CompletionContext: Sendable, Equatable {
    /// The whole line being edited.
    public let line: String
    /// Where the cursor is in `line`.
    public let cursor: String.Index
    /// Where the word being completed starts; it runs up to `cursor`.
    public let wordStart: String.Index

    /// Positions are in Unicode scalars from the start of `line` (libedit's unit), clamped to the line.
    public init(line: String, cursorOffset: Int, wordStartOffset: Int) {
        let scalars = line.unicodeScalars
        let count = scalars.count
        let cursorOffset = min(max(cursorOffset, 0), count)
        let wordStartOffset = min(max(wordStartOffset, 0), cursorOffset)
        self.line = line
        self.cursor = scalars.index(scalars.startIndex, offsetBy: cursorOffset)
        self.wordStart = scalars.index(scalars.startIndex, offsetBy: wordStartOffset)
    }

    /// The context for a cursor at `cursorOffset`, its word starting after the nearest blank before it.
    public init(line: String, cursorOffset: Int) {
        let scalars = Array(line.unicodeScalars)
        var start = min(max(cursorOffset, 0), scalars.count)
        let cursor = start
        while start > 0, scalars[start - 1] != " ", scalars[start - 1] != "\t" {
            start -= 1
        }
        self.init(line: line, cursorOffset: cursor, wordStartOffset: start)
    }

    /// The word being completed: from `wordStart` to the cursor (possibly empty).
    public var word: Substring { line[wordStart..<cursor] }

    /// The range of `word` in `line`.
    public var wordRange: Range<String.Index> { wordStart..<cursor }

    /// The words before the one being completed: `["/msg"]` for `/msg al|`, `[]` for `/ms|`.
    public var precedingWords: [Substring] {
        line[..<wordStart].split(whereSeparator: { $0 == " " || $0 == "\t" })
    }
}
