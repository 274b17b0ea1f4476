import Foundation
import Testing

extension EndToEndTests {
    @Test(
        "at a terminal, long messages wrap at words under their text, at the width the terminal has after a resize",
        .enabled(if: Tmux.installed != nil, "tmux is not installed: the interactive shell cannot be driven")
    )
    func wrappingFollowsTheTerminal() async throws {
        try await Scenario.run { scenario in
            let (tmux, pane, bob) = try await Self.aliceAtTerminalWithFriendBob(scenario)
            let words = (1...30).map { "word\($0)" }.joined(separator: " ")

            try await bob.run("/msg alice \(words)", expecting: "sent", ["to": "alice"])
            var screen = try await tmux.waitForScreen(pane, "the message") { rows in rows.contains { $0.hasSuffix("word30") } }
            try Self.expectWrapped(screen, width: 100, words: 30)

            // Narrower, and a half-typed line: after the resize the prompt is whole and alone on its row.
            try await tmux.type("/msg bob typed", into: pane)
            try await tmux.tmux(["resize-window", "-t", pane, "-x", "50", "-y", "30"])
            try await tmux.waitForScreen(pane, "the prompt at the new width") { $0.last == "[alice +bob:1] /msg bob typed" }
            try await bob.run("/msg alice \(words) again", expecting: "sent", ["to": "alice"])
            screen = try await tmux.waitForScreen(pane, "the second message") { rows in rows.contains { $0.hasSuffix("again") } }
            try Self.expectWrapped(Array(screen.drop { !$0.contains("> word1 ") }.dropFirst().drop { !$0.contains("> word1 ") }), width: 50, words: 30)
            #expect(screen.last == "[alice +bob:2] /msg bob typed", "\(screen.joined(separator: "\n"))")
            let copies = screen.filter { $0.contains("/msg bob typed") }
            #expect(copies.count == 1, "no stale copy of the line: \(copies)")
        }
    }

    /// The message's rows on `screen`: the first holds `<bob> word1 …`, the others are indented under its text,
    /// none is wider than `width` or splits a word, and all the words are there in order.
    private static func expectWrapped(_ screen: [String], width: Int, words: Int) throws {
        let shown = screen.joined(separator: "\n")
        let first = try #require(screen.firstIndex { $0.contains("<bob> word1 ") }, "\(shown)")
        let indent = try #require(screen[first].range(of: "<bob> ")).upperBound
        let column = screen[first].distance(from: screen[first].startIndex, to: indent)
        var rows = [String(screen[first][indent...])]
        for row in screen[(first + 1)...] {
            guard row.hasPrefix(String(repeating: " ", count: column)), row.count > column else { break }
            rows.append(String(row.dropFirst(column)))
        }
        #expect(rows.count > 1, "the message did not wrap:\n\(shown)")
        #expect(screen[first..<(first + rows.count)].allSatisfy { $0.count <= width }, "\(shown)")
        let found = rows.joined(separator: " ").split(separator: " ").prefix(words).map(String.init)
        #expect(found == (1...words).map { "word\($0)" }, "\(shown)")
    }
}
