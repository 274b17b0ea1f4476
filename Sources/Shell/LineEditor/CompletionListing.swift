/// What Tab does with the candidates for the word before the cursor: pure, so it is tested without a terminal.
enum CompletionListing {
    enum Action: Equatable {
        /// Nothing matches: beep.
        case beep
        /// Insert this at the cursor: the rest of the word as far as the candidates agree, and a space when
        /// only one is left (not after a directory's `/`, which goes on).
        case insert(String)
        /// The candidates agree no further: show them.
        case list(String)
    }

    /// Most candidates a listing shows.
    static let limit = 200

    /// The action for `candidates` (those not starting with `word` are ignored; duplicates count once) on a
    /// terminal `columns` wide.
    static func action(word: String, candidates: [String], columns: Int) -> Action {
        let typed = Array(word.unicodeScalars)
        var seen = Set<String>()
        let matching = candidates
            .filter { !$0.isEmpty && $0.unicodeScalars.starts(with: typed) && seen.insert($0).inserted }
            .sorted()
        guard let first = matching.first else { return .beep }
        var common = Array(first.unicodeScalars)
        for candidate in matching.dropFirst() {
            let shared = zip(common, candidate.unicodeScalars).prefix(while: { $0 == $1 }).count
            common.removeSubrange(shared...)
        }
        var insertion = String.UnicodeScalarView(common.dropFirst(typed.count))
        if matching.count == 1, first.last != "/" { insertion.append(" ") }
        guard insertion.isEmpty else { return .insert(String(insertion)) }
        return .list(listing(matching, columns: columns))
    }

    /// Candidates in columns, like `ls`: down the first column, then the next.
    static func listing(_ candidates: [String], columns: Int) -> String {
        let shown = candidates.prefix(limit)
        let cell = (shown.map(TerminalText.width).max() ?? 0) + 2
        let perRow = max(1, max(columns, 1) / max(cell, 1))
        let rows = (shown.count + perRow - 1) / perRow
        var lines: [String] = []
        for row in 0..<rows {
            var text = ""
            for column in 0..<perRow {
                let index = column * rows + row
                guard index < shown.count else { break }
                let item = shown[shown.startIndex + index]
                text += item
                if (column + 1) * rows + row < shown.count {
                    text += String(repeating: " ", count: cell - TerminalText.width(of: item))
                }
            }
            lines.append(text)
        }
        if candidates.count > shown.count { lines.append("… and \(candidates.count - shown.count) more") }
        return lines.joined(separator: "\n")
    }
}
