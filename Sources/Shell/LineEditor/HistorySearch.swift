/// Ctrl-R: a reverse incremental search through history, newest first. Pure, so it is tested without a
/// terminal; the editor draws it as `(reverse-i-search)'query': match`.
struct HistorySearch: Equatable {
    /// History, newest first, as it was when the search started.
    let entries: [String]
    private(set) var query = ""
    /// The entry shown; nil before anything is typed, or when nothing matches.
    private(set) var matchIndex: Int?
    /// Whether the last change found nothing (the match shown, if any, is an earlier one).
    private(set) var failed = false

    init(entries: [String]) {
        self.entries = entries
    }

    var match: String? { matchIndex.map { entries[$0] } }

    /// The prompt for the search line.
    var prompt: String { "(\(failed ? "failed " : "")reverse-i-search)'\(query)': " }

    /// A character typed: the newest entry from the current one on that holds the longer query.
    mutating func type(_ text: String) {
        query += text
        find(from: matchIndex ?? 0)
    }

    /// Ctrl-R again: the next older entry that holds the query.
    mutating func older() {
        guard !query.isEmpty else { return }
        find(from: (matchIndex ?? -1) + 1)
    }

    /// Backspace: a shorter query, searched again from the newest entry.
    mutating func deleteBackward() {
        guard !query.isEmpty else { return }
        query.removeLast()
        matchIndex = nil
        failed = false
        if !query.isEmpty { find(from: 0) }
    }

    private mutating func find(from start: Int) {
        guard start < entries.count,
            let found = entries[start...].firstIndex(where: { $0.contains(query) })
        else {
            failed = true
            return
        }
        matchIndex = found
        failed = false
    }
}
