import Foundation

/// Turns what a user typed into an FTS5 MATCH expression that cannot be a
/// syntax error.
///
/// FTS5 has its own query language (`AND`, `OR`, `NOT`, `NEAR(…)`, `*`, `^`,
/// column filters, quotes), and raw user text in MATCH throws on the first
/// stray quote or parenthesis. So the text is cut into words the way the
/// `unicode61` tokenizer cuts it (letters and digits; everything else
/// separates), and each word becomes a quoted prefix phrase: `"hel"*`. Inside
/// quotes nothing is an operator, so `AND OR` searches for those two words.
/// Words are ANDed (FTS5's implicit operator between phrases).
struct FullTextQuery: Sendable, Hashable {
    /// FTS5 refuses expressions nested deeper than 256; a pasted page of
    /// text must not turn into an error, and more words than this narrow a
    /// chat search no further in practice.
    static let maximumTerms = 16

    /// The distinct words, in the order typed, at most ``maximumTerms``.
    let terms: [String]

    init(_ text: String) {
        var seen = Set<String>()
        var terms: [String] = []
        for word in text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }) {
            // unicode61 folds case, so "Hello hello" is one term.
            let term = word.lowercased()
            guard terms.count < Self.maximumTerms else { break }
            if seen.insert(term).inserted { terms.append(term) }
        }
        self.terms = terms
    }

    /// The MATCH expression, or `nil` when the text holds no word at all
    /// (empty, spaces, punctuation): such a query matches nothing.
    var matchExpression: String? {
        guard !terms.isEmpty else { return nil }
        // Doubling quotes is FTS5's escape inside a string; the split above leaves none, but the
        // quoting must stay safe even if the word rule changes.
        return terms.map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"*" }.joined(separator: " ")
    }
}
