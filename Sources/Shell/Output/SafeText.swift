/// Text from peers (messages, ids, details) made harmless for a terminal.
///
/// Removes every C0 and C1 control character, DEL, and the Unicode bidirectional overrides and
/// isolates, so that a peer can neither move the cursor, change colours or the window title, nor make
/// text read in a different order; a tab becomes a space. ESC goes with the rest, so what was an
/// escape sequence is left as harmless visible characters.
enum SafeText {
    /// One line: line breaks become spaces.
    static func line(_ text: some StringProtocol) -> String {
        lines(text).joined(separator: " ")
    }

    /// The text's lines (split at `\n`, `\r\n` and `\r`), each cleaned.
    static func lines(_ text: some StringProtocol) -> [String] {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var afterCarriageReturn = false
        for scalar in text.unicodeScalars {
            defer { afterCarriageReturn = scalar == "\r" }
            switch scalar {
            case "\n" where afterCarriageReturn:
                continue
            case "\n", "\r":
                lines.append(String(current))
                current = String.UnicodeScalarView()
            case "\t":
                current.append(" ")
            default:
                if isAllowed(scalar) { current.append(scalar) }
            }
        }
        lines.append(String(current))
        return lines
    }

    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: false
        case 0x202A...0x202E, 0x2066...0x2069: false
        default: true
        }
    }
}
