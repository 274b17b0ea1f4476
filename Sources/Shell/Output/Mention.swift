import Foundation

/// Where a message mentions a user: their id as a whole word, in any case (`Alice,` and `@alice` count,
/// `malice` does not).
enum Mention {
    static func range(of id: String, in text: Substring) -> Range<Substring.Index>? {
        guard !id.isEmpty else { return nil }
        var searchFrom = text.startIndex
        while let found = text[searchFrom...].range(of: id, options: .caseInsensitive) {
            let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
            let after = found.upperBound == text.endIndex ? nil : text[found.upperBound]
            if !isIDCharacter(before), !isIDCharacter(after) { return found }
            searchFrom = found.upperBound
        }
        return nil
    }

    static func mentions(_ id: String, in text: String) -> Bool {
        range(of: id, in: Substring(text)) != nil
    }

    /// Letters, digits, `_` and `-`; a `.` after an id ends a sentence rather than continuing the id.
    private static func isIDCharacter(_ character: Character?) -> Bool {
        guard let character else { return false }
        return character.isLetter || character.isNumber || character == "_" || character == "-"
    }
}
