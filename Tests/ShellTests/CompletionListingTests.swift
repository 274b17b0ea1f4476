import Testing

@testable import Shell

@Suite struct CompletionListingTests {
    @Test func nothingMatchingBeeps() {
        #expect(CompletionListing.action(word: "z", candidates: ["alice", "bob"], columns: 80) == .beep)
        #expect(CompletionListing.action(word: "", candidates: [], columns: 80) == .beep)
    }

    @Test func oneCandidateIsCompletedWithASpace() {
        #expect(CompletionListing.action(word: "b", candidates: ["bob", "alice"], columns: 80) == .insert("ob "))
        #expect(CompletionListing.action(word: "bob", candidates: ["bob"], columns: 80) == .insert(" "))
    }

    @Test func aDirectoryGoesOnWithoutASpace() {
        #expect(CompletionListing.action(word: "~/D", candidates: ["~/Documents/"], columns: 80) == .insert("ocuments/"))
    }

    @Test func candidatesAreCompletedAsFarAsTheyAgree() {
        #expect(CompletionListing.action(word: "a", candidates: ["alfred", "alice", "alice"], columns: 80) == .insert("l"))
        // By Unicode scalar: é and e + U+0301 differ.
        #expect(CompletionListing.action(word: "", candidates: ["café1", "cafe\u{301}2"], columns: 80) == .insert("caf"))
    }

    @Test func candidatesThatAgreeNoFurtherAreListedInColumns() {
        let action = CompletionListing.action(word: "al", candidates: ["alice", "alfred", "al", "bob"], columns: 20)
        // Width 6 + 2 per cell: two columns in 20, filled downwards.
        #expect(action == .list("al      alice\nalfred"))
    }

    @Test func aLongListIsCut() {
        let many = (0..<250).map { "user\($0)" }
        guard case .list(let text) = CompletionListing.action(word: "user", candidates: many, columns: 80) else {
            Issue.record("not a listing")
            return
        }
        #expect(text.hasSuffix("… and 50 more"))
        #expect(text.split(separator: "\n").dropLast().flatMap { $0.split(separator: " ") }.count == CompletionListing.limit)
    }
}
