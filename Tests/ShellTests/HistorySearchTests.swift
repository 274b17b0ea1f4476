import Testing

@testable import Shell

@Suite struct HistorySearchTests {
    let entries = ["/friends", "/status", "/msg bob status?", "/whoami"]

    @Test func typingFindsTheNewestMatchAndCtrlRTheOlderOnes() {
        var search = HistorySearch(entries: entries)
        #expect(search.prompt == "(reverse-i-search)'': ")
        search.type("s")
        #expect(search.match == "/friends")
        search.type("t")
        #expect(search.match == "/status")
        search.older()
        #expect(search.match == "/msg bob status?")
        search.older()
        #expect(search.match == "/msg bob status?", "nothing older: the match stays")
        #expect(search.prompt == "(failed reverse-i-search)'st': ")
    }

    @Test func backspaceSearchesAgainFromTheNewest() {
        var search = HistorySearch(entries: entries)
        search.type("who")
        #expect(search.match == "/whoami")
        search.type("x")
        #expect(search.failed)
        search.deleteBackward()
        #expect(search.match == "/whoami")
        #expect(!search.failed)
        search.deleteBackward()
        search.deleteBackward()
        #expect(search.match == "/whoami", "'w' is first found in /whoami")
        search.deleteBackward()
        #expect(search.match == nil)
        #expect(search.query.isEmpty)
    }

    @Test func anEmptyHistoryFindsNothing() {
        var search = HistorySearch(entries: [])
        search.type("a")
        #expect(search.match == nil)
        #expect(search.failed)
    }
}
