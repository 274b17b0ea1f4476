import Testing

@testable import Shell

@Suite struct PromptTextTests {
    @Test func plainPromptIsUnchanged() {
        let prompt = PromptText("alice> ")
        #expect(prompt.marked == "alice> ")
        #expect(prompt.visible.count == 7)
    }

    @Test func consecutiveEscapesBecomeOneMarkedRun() {
        let prompt = PromptText("\u{1B}[1m\u{1B}[31mX\u{1B}[0m> ")
        #expect(prompt.marked == "\u{1}\u{1B}[1m\u{1B}[31m\u{1}X\u{1}\u{1B}[0m\u{1}> ")
        #expect(String(String.UnicodeScalarView(prompt.visible)) == "X> ")
    }

    @Test func trailingEscapesMoveBeforeTheTrailingSpace() {
        let prompt = PromptText("\u{1B}[32m> \u{1B}[0m")
        #expect(prompt.marked == "\u{1}\u{1B}[32m\u{1}>\u{1}\u{1B}[0m\u{1} ")
        #expect(prompt.visible.count == 2)
    }

    @Test func trailingEscapesWithoutASpaceGetOne() {
        let prompt = PromptText("\u{1B}[7m[x]\u{1B}[0m")
        #expect(prompt.marked == "\u{1}\u{1B}[7m\u{1}[x]\u{1}\u{1B}[0m\u{1} ")
        #expect(prompt.visible.count == 4)
    }

    @Test func controlsBecomeSpacesAndReadlineMarkersAreDropped() {
        let prompt = PromptText("a\nb\u{1}\u{2}> ")
        #expect(prompt.marked == "a b> ")
    }
}
