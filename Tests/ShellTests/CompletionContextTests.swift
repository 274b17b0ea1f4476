import Testing

@testable import Shell

@Suite struct CompletionContextTests {
    @Test func wordBeforeTheCursor() {
        let context = CompletionContext(line: "/msg al", cursorOffset: 7)
        #expect(context.word == "al")
        #expect(context.precedingWords == ["/msg"])
    }

    @Test func firstWord() {
        let context = CompletionContext(line: "/ms", cursorOffset: 3)
        #expect(context.word == "/ms")
        #expect(context.precedingWords.isEmpty)
    }

    @Test func emptyWordAfterABlank() {
        let context = CompletionContext(line: "/msg ", cursorOffset: 5)
        #expect(context.word == "")
        #expect(context.precedingWords == ["/msg"])
    }

    @Test func cursorInTheMiddleWithNonASCII() {
        // Offsets are Unicode scalars, as libedit counts them.
        let context = CompletionContext(line: "/msg zoé #gén rest", cursorOffset: 13)
        #expect(context.word == "#gén")
        #expect(context.line[context.cursor...] == " rest")
        #expect(context.precedingWords == ["/msg", "zoé"])
    }

    @Test func outOfRangeOffsetsAreClamped() {
        let context = CompletionContext(line: "ab", cursorOffset: 99, wordStartOffset: -3)
        #expect(context.word == "ab")
    }
}
