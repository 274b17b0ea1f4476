@preconcurrency import CEditLine
@preconcurrency import Glibc

/// How text occupies terminal columns, computed the way libedit lays out its prompt and line.
///
/// The editor needs this to find the first row of the edited area (prompt plus typed line, which may wrap)
/// before it prints something above it; libedit keeps its cursor row to itself.
enum TerminalText {
    /// libedit's EL_PROMPT_ESC byte: text between two of them is printed but takes no columns.
    static let literalMarker: Unicode.Scalar = "\u{1}"

    /// One piece of a string as the terminal sees it.
    enum Piece: Equatable {
        case visible(Unicode.Scalar)
        /// An escape sequence (colour, title, ...): printed, zero width.
        case escape(String)
    }

    /// Splits text into visible scalars and ANSI escape sequences (CSI, OSC/DCS strings, two-byte escapes).
    ///
    /// GNU readline's `\001`/`\002` markers are dropped: the editor marks escapes itself.
    static func pieces(of text: String) -> [Piece] {
        let scalars = Array(text.unicodeScalars)
        var pieces: [Piece] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\u{1}" || scalar == "\u{2}" {
                index += 1
                continue
            }
            guard scalar == "\u{1B}" else {
                pieces.append(.visible(scalar))
                index += 1
                continue
            }
            let end = escapeEnd(scalars, from: index)
            var sequence = String.UnicodeScalarView()
            sequence.append(contentsOf: scalars[index..<end])
            pieces.append(.escape(String(sequence)))
            index = end
        }
        return pieces
    }

    /// Index just past the escape sequence starting at `start` (which holds ESC).
    private static func escapeEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start + 1
        guard index < scalars.count else { return index }
        switch scalars[index] {
        case "[":
            // CSI: parameter and intermediate bytes, then one final byte in @...~.
            index += 1
            while index < scalars.count {
                let value = scalars[index].value
                index += 1
                if (0x40...0x7E).contains(value) { break }
            }
            return index
        case "]", "P", "_", "^", "X":
            // OSC, DCS, APC, PM, SOS: a string ended by BEL or ST (ESC \).
            index += 1
            while index < scalars.count {
                if scalars[index] == "\u{7}" { return index + 1 }
                if scalars[index] == "\u{1B}" {
                    return index + 1 < scalars.count && scalars[index + 1] == "\\" ? index + 2 : index + 1
                }
                index += 1
            }
            return index
        default:
            return index + 1
        }
    }

    /// libedit reads multibyte input, and wcwidth measures it, through the C locale: with "C" libedit silently
    /// drops é, → or 你好, and wcwidth calls them unprintable.
    /// Only LC_CTYPE is set: LC_NUMERIC and friends would change how C libraries format and parse numbers.
    static func useUTF8Locale() {
        let current = setlocale(LC_CTYPE, "").map { String(cString: $0) } ?? ""
        let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        if current.isEmpty || codeset.uppercased() != "UTF-8" {
            _ = setlocale(LC_CTYPE, "C.UTF-8")
        }
    }

    /// Columns a scalar takes where libedit draws it (after `useUTF8Locale()`).
    static func columns(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || value == 0x7F { return 2 }  // drawn as ^X
        let width = Int(p2p_wcwidth(value))
        if width >= 0 { return width }
        return value > 0xFFFF ? 8 : 7  // drawn as \U+XXXX
    }

    /// Visible columns of text that may contain escape sequences.
    static func width(of text: String) -> Int {
        pieces(of: text).reduce(0) { total, piece in
            if case .visible(let scalar) = piece { return total + columns(of: scalar) }
            return total
        }
    }

    /// The row (0 = first row of the prompt) on which text ends, laid out from column 0 on a terminal
    /// `columns` wide, wrapping as libedit does: eagerly when a row is full, and before a wide character
    /// that does not fit.
    static func endRow(of scalars: some Sequence<Unicode.Scalar>, columns: Int) -> Int {
        guard columns > 0 else { return 0 }
        var row = 0
        var column = 0
        func advance(by width: Int) {
            if column + width > columns {
                row += 1
                column = 0
            }
            column += width
            if column >= columns {
                row += 1
                column = 0
            }
        }
        for scalar in scalars {
            let value = scalar.value
            if scalar == "\n" {
                row += 1
                column = 0
            } else if scalar == "\t" {
                // Expanded to spaces up to the next multiple of 8, but never past the row's end.
                advance(by: min(8 - column % 8, columns - column))
            } else if value < 0x20 || value == 0x7F || p2p_wcwidth(value) < 0 {
                // Drawn as ^X or \U+XXXX: single-column characters that may wrap in between.
                for _ in 0..<self.columns(of: scalar) { advance(by: 1) }
            } else {
                let width = self.columns(of: scalar)
                if width > 0 { advance(by: width) }
            }
        }
        return row
    }
}
