/// A prompt prepared for libedit: escape sequences marked as zero-width, and the characters that take columns.
///
/// libedit (3.1-20221030) glues the text between two EL_PROMPT_ESC markers to the next visible character,
/// silently drops a marked run that nothing follows, and drops the first of two marked runs with nothing
/// between them. So consecutive escapes become one run, and trailing escapes move in front of a trailing
/// space (or get a space of their own): `"\e[32m> \e[0m"` is given to libedit as `"\1\e[32m\1>\1\e[0m\1 "`.
struct PromptText: Equatable, Sendable {
    /// What libedit's prompt callback returns.
    let marked: String
    /// The characters that take columns, in order; escapes excluded.
    let visible: [Unicode.Scalar]

    init(_ prompt: String) {
        var entries: [(escapes: String, scalar: Unicode.Scalar)] = []
        var pending = ""
        for piece in TerminalText.pieces(of: prompt) {
            switch piece {
            case .escape(let sequence):
                pending += sequence
            case .visible(var scalar):
                // A newline or other control would break the one-row layout the editor relies on.
                if scalar.value < 0x20 || scalar.value == 0x7F { scalar = " " }
                entries.append((pending, scalar))
                pending = ""
            }
        }
        if !pending.isEmpty {
            if let last = entries.last, last.scalar == " " {
                entries[entries.count - 1].escapes += pending
            } else {
                entries.append((pending, " "))
            }
        }
        let marker = String(TerminalText.literalMarker)
        var marked = ""
        for entry in entries {
            if !entry.escapes.isEmpty { marked += marker + entry.escapes + marker }
            marked.unicodeScalars.append(entry.scalar)
        }
        self.marked = marked
        self.visible = entries.map(\.scalar)
    }
}
