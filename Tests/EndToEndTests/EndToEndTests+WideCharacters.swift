import Foundation
import Testing

extension EndToEndTests {
    /// Emoji (with a skin tone, a flag, a heart with VS16), CJK, a combining accent: the widths glibc's
    /// wcwidth gives, which libedit and tmux use too.
    static let wideText = "家族 😀 👍🏽 🇫🇷 ❤️ cafe\u{301} 漢字かな"

    @Test(
        "at a terminal, emoji, CJK and combining marks in a received line wrap without breaking it, and the prompt stays whole",
        .enabled(if: Tmux.installed != nil, "tmux is not installed: the interactive shell cannot be driven")
    )
    func wideCharactersInAReceivedLine() async throws {
        try await Scenario.run { scenario in
            let (tmux, pane, bob) = try await Self.aliceAtTerminalWithFriendBob(scenario)
            try await tmux.press("/chat bob", "Enter", in: pane)
            try await tmux.waitForScreen(pane, "the conversation") { rows in rows.last == "[alice→bob]" }
            // Long enough to wrap at 100 columns, so the wrapper must measure every character right.
            // A ZWJ sequence too: tmux draws it in two columns, the wrapper counts six, so its row is only shorter.
            let text = Array(repeating: Self.wideText + " 👨\u{200D}👩\u{200D}👧", count: 5).joined(separator: " ")
            try await bob.run("/msg alice \(text)", expecting: "sent", ["to": "alice"])
            let screen = try await tmux.waitForScreen(pane, "bob's wide message") { rows in
                rows.last == "[alice→bob]" && rows.contains { $0.contains("<bob> 家族") }
            }
            let shown = screen.joined(separator: "\n")
            let first = try #require(screen.firstIndex { $0.contains("<bob> 家族") })
            let rows = Array(screen[first..<(screen.count - 1)])
            let indent = String(repeating: " ", count: "[00:00] <bob> ".count)
            #expect(rows.count > 1, "the message wraps:\n\(shown)")
            for row in rows.dropFirst() {
                #expect(row.hasPrefix(indent) && !row.hasPrefix(indent + " "), "a continuation row is indented under the text:\n\(shown)")
            }
            // Every word comes back whole, in order: no character was cut or pushed onto a row of its own.
            let words = rows.enumerated().flatMap { index, row in
                (index == 0 ? String(row.drop { $0 != ">" }.dropFirst()) : row).split(separator: " ").map(String.init)
            }
            #expect(words == text.split(separator: " ").map(String.init), "\(shown)")
        }
    }

    @Test(
        "at a terminal, emoji, CJK, combining marks and ZWJ sequences in the line being typed keep the cursor in its place, also when a message prints above",
        .enabled(if: Tmux.installed != nil, "tmux is not installed: the interactive shell cannot be driven")
    )
    func wideCharactersInTheEditLine() async throws {
        try await Scenario.run { scenario in
            let (tmux, pane, bob) = try await Self.aliceAtTerminalWithFriendBob(scenario)
            try await tmux.press("/chat bob", "Enter", in: pane)
            try await tmux.waitForScreen(pane, "the conversation") { rows in rows.last == "[alice→bob]" }
            let prompt = "[alice→bob] "
            let typed = Self.wideText + " 👨\u{200D}👩\u{200D}👧 end"

            try await tmux.type(typed, into: pane)
            try await tmux.waitForScreen(pane, "the typed line") { rows in Self.sameScalars(rows.last, prompt + Self.shown(typed)) }
            #expect(try await tmux.display("#{cursor_x}", pane) == String(Self.columns(of: prompt + typed)))

            // Five characters back (over "end" and a space), insert one: libedit's cursor is the terminal's.
            try await tmux.press("Left", "Left", "Left", "Left", "Left", "X", in: pane)
            let edited = Self.wideText + " 👨\u{200D}👩\u{200D}X👧 end"
            let beforeCursor = Self.wideText + " 👨\u{200D}👩\u{200D}X"
            try await tmux.waitForScreen(pane, "the character inserted") { rows in
                Self.sameScalars(rows.last, prompt + Self.shown(edited))
            }
            #expect(try await tmux.display("#{cursor_x}", pane) == String(Self.columns(of: prompt + beforeCursor)))

            // A message printed above redraws the line as it was, cursor included.
            try await bob.run("/msg alice 你好 🙂", expecting: "sent", ["to": "alice"])
            let screen = try await tmux.waitForScreen(pane, "bob's message above the line") { rows in
                rows.contains { $0.hasSuffix("<bob> 你好 🙂") } && Self.sameScalars(rows.last, prompt + Self.shown(edited))
            }
            #expect(screen.filter { $0.contains("漢字") }.count == 1, "no stale copy of the line:\n\(screen.joined(separator: "\n"))")
            #expect(try await tmux.display("#{cursor_x}", pane) == String(Self.columns(of: prompt + beforeCursor)))

            // What is sent is what was typed, accents composed (the same text), the emoji's selector and joiners kept.
            try await tmux.press("BSpace", "Enter", in: pane)
            let sent = try await bob.waitForEvent("message", ["from": "alice"])
            #expect(sent["text"].map { Array($0.unicodeScalars) } == Array(typed.precomposedStringWithCanonicalMapping.unicodeScalars))
        }
    }

    /// The line as the editor draws it while it holds characters of no width: accents composed, the
    /// rest of them (variation selectors, joiners) left out. See `EditorSession.settleZeroWidthCharacters`.
    static func shown(_ text: String) -> String {
        String(String.UnicodeScalarView(text.precomposedStringWithCanonicalMapping.unicodeScalars.filter {
            $0.value != 0xFE0F && $0.value != 0x200D
        }))
    }

    /// Compared scalar by scalar: `❤️` is not `❤` here, though Swift's `==` on strings would not say so.
    static func sameScalars(_ row: String?, _ expected: String) -> Bool {
        guard let row else { return false }
        return Array(row.unicodeScalars) == Array(expected.unicodeScalars)
    }

    /// Columns as tmux lays text out: two for East Asian wide characters and emoji, none for combining marks
    /// and variation selectors, one for the rest (the characters used here).
    static func columns(of text: String) -> Int {
        text.unicodeScalars.reduce(0) { total, scalar in
            switch scalar.value {
            case 0x0300...0x036F, 0xFE0F, 0x200D: total
            case 0x1F1E6...0x1F1FF: total + 1  // a regional indicator: a flag is two of them
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFF00...0xFF60, 0x1F300...0x1FAFF: total + 2
            default: total + 1
            }
        }
    }
}
