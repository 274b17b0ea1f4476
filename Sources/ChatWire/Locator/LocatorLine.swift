/// The grammar shared by every modern locator line, in the style of IRC: space-separated words,
/// of which the last may start with `:` and then runs to the end of the line (spaces included).
///
/// `LOGIN alice :correct horse` → `["LOGIN", "alice", "correct horse"]`.
public struct LocatorLine: Sendable, Hashable {
    public var words: [String]

    public init(_ words: [String]) {
        self.words = words
    }

    public init?(parsing line: some StringProtocol) {
        var words: [String] = []
        var rest = Substring(line)
        if rest.last == "\r" { rest = rest.dropLast() }
        while true {
            if rest.first == ":" {
                words.append(String(rest.dropFirst()))
                break
            }
            guard let space = rest.firstIndex(of: " ") else {
                guard !rest.isEmpty else { return nil }
                words.append(String(rest))
                break
            }
            let word = rest[..<space]
            rest = rest[rest.index(after: space)...]
            // Doubled or trailing spaces are not our grammar: reject rather than guess.
            guard !word.isEmpty, !rest.isEmpty else { return nil }
            words.append(String(word))
        }
        guard words.allSatisfy({ !$0.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0x00 }) }) else { return nil }
        self.words = words
    }

    /// Renders the words; the last one becomes a `:` trailing word when it needs to be.
    public var rendered: String {
        guard let last = words.last else { return "" }
        let needsTrailing = last.isEmpty || last.contains(" ") || last.hasPrefix(":")
        return needsTrailing ? (words.dropLast() + [":" + last]).joined(separator: " ") : words.joined(separator: " ")
    }
}
