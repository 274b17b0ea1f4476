import Testing

@testable import Shell

/// The editor's pure pieces: Tab cycling through ids, and how a paste splits into lines.
@Suite struct EditorPiecesTests {
    @Test func tabCyclesThroughMatchingIDsRoundTheList() throws {
        var cycle = try #require(CompletionCycle(word: "a", candidates: ["alfred", "alice", "bob", "alice"], suffix: ": "))
        #expect(cycle.inserted == "alfred: ")
        #expect(cycle.advance() == (8, "alice: "))
        #expect(cycle.advance() == (7, "alfred: "))
        #expect(CompletionCycle(word: "z", candidates: ["alice"], suffix: " ") == nil)
    }

    @Test func pastedTextSplitsAtAnyLineEnding() {
        #expect(EditorSession.pastedLines("one") == ["one"])
        #expect(EditorSession.pastedLines("one\n") == ["one"])
        #expect(EditorSession.pastedLines("one\r\ntwo\rthree\n") == ["one", "two", "three"])
        #expect(EditorSession.pastedLines("one\n\nthree") == ["one", "", "three"])
        #expect(EditorSession.pastedLines("") == [""])
    }
}
