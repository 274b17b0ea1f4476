/// Tab through a list of ids: the first Tab puts the first candidate (and its suffix) in place of the word,
/// each further Tab on the unchanged line the next one, round the list. Pure, so it is tested without a terminal.
struct CompletionCycle: Equatable {
    let candidates: [String]
    let suffix: String
    /// Which candidate is in the line now.
    private(set) var index: Int
    /// The line and cursor right after the last Tab: when they are still so, a Tab goes on cycling.
    var lineAfter: [Unicode.Scalar]
    var cursorAfter: Int

    /// Starts a cycle; nil when no candidate starts with `word` (the editor beeps).
    init?(word: String, candidates: [String], suffix: String) {
        var seen = Set<String>()
        let matching = candidates.filter { $0.unicodeScalars.starts(with: word.unicodeScalars) && seen.insert($0).inserted }
        guard !matching.isEmpty else { return nil }
        self.candidates = matching
        self.suffix = suffix
        self.index = 0
        self.lineAfter = []
        self.cursorAfter = 0
    }

    /// What is in the line now, as typed by the cycle: candidate and suffix.
    var inserted: String { candidates[index] + suffix }

    /// Moves to the next candidate; returns what to remove before the cursor (in scalars) and what to insert.
    mutating func advance() -> (remove: Int, insert: String) {
        let removed = inserted.unicodeScalars.count
        index = (index + 1) % candidates.count
        return (removed, inserted)
    }
}
