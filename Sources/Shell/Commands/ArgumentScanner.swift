/// Reads the arguments of a command line one at a time, in Unicode scalars so that the rest of a line
/// comes back exactly as typed (a combining mark after a blank stays where it was).
///
/// Words are separated by spaces and tabs. A double quote starts a quoted part, which runs to the next
/// double quote and may hold blanks; inside it, `\"` is a quote and `\\` a backslash. Quotes may sit
/// inside a word: `text="hello world"` is the word `text=hello world`. Outside quotes a backslash is
/// an ordinary character.
struct ArgumentScanner {
    private let scalars: String.UnicodeScalarView
    private var position: String.UnicodeScalarView.Index

    init(_ scalars: String.UnicodeScalarView, from position: String.UnicodeScalarView.Index) {
        self.scalars = scalars
        self.position = position
    }

    static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t"
    }

    private mutating func skipBlanks() {
        while position < scalars.endIndex, Self.isBlank(scalars[position]) {
            scalars.formIndex(after: &position)
        }
    }

    /// The next word with its quotes removed, or `nil` when only blanks are left.
    mutating func nextWord() throws(CommandLineError) -> String? {
        skipBlanks()
        guard position < scalars.endIndex else { return nil }
        var word = String.UnicodeScalarView()
        var quoted = false
        while position < scalars.endIndex {
            let scalar = scalars[position]
            if !quoted, Self.isBlank(scalar) { break }
            scalars.formIndex(after: &position)
            if scalar == "\"" {
                quoted.toggle()
            } else if quoted, scalar == "\\", position < scalars.endIndex,
                scalars[position] == "\"" || scalars[position] == "\\"
            {
                word.append(scalars[position])
                scalars.formIndex(after: &position)
            } else {
                word.append(scalar)
            }
        }
        guard !quoted else {
            throw CommandLineError("a double quote is not closed: put a \" at the end of the quoted text")
        }
        return String(word)
    }

    /// Everything after the blanks that follow the last word read, exactly as typed (inner and trailing
    /// blanks included), or `nil` when nothing but blanks is left.
    mutating func rest() -> String? {
        skipBlanks()
        guard position < scalars.endIndex else { return nil }
        defer { position = scalars.endIndex }
        return String(Substring(scalars[position...]))
    }
}
