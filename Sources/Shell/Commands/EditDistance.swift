/// How many single-character edits turn one word into another, for "did you mean" suggestions.
enum EditDistance {
    /// The optimal string alignment distance: insertions, deletions, substitutions, and swaps of two
    /// neighbouring characters (`mgs` → `msg` is one edit).
    static func between(_ first: some StringProtocol, _ second: some StringProtocol) -> Int {
        let a = Array(first)
        let b = Array(second)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousRow: [Int] = []
        var row = Array(0...b.count)
        for i in 1...a.count {
            let rowBeforePrevious = previousRow
            previousRow = row
            row = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(previousRow[j] + 1, row[j - 1] + 1, previousRow[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, rowBeforePrevious[j - 2] + 1)
                }
                row[j] = best
            }
        }
        return row[b.count]
    }
}
