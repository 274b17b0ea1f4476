import ChatWire
import Testing

@Suite("LocatorLine")
struct LocatorLineTests {
    static let parsed: [(String, [String])] = [
        ("PING", ["PING"]),
        ("QUERY alice", ["QUERY", "alice"]),
        ("LOGIN alice :correct horse", ["LOGIN", "alice", "correct horse"]),
        // The trailing word runs to the end of the line, colons and double spaces included.
        ("LOGIN alice ::a  b: ", ["LOGIN", "alice", ":a  b: "]),
        ("LOGIN alice :", ["LOGIN", "alice", ""]),
        (":only trailing", ["only trailing"]),
        // A colon inside a word is just a character.
        ("QUERY a:b", ["QUERY", "a:b"]),
        // One \r at the end is what a \r\n terminator leaves behind.
        ("PING x\r", ["PING", "x"]),
    ]

    @Test("words, and a trailing word after ':'", arguments: parsed)
    func parses(line: String, words: [String]) {
        #expect(LocatorLine(parsing: line)?.words == words)
    }

    static let rejected: [String] = [
        "",
        "\r",
        " PING",
        "PING ",
        "QUERY  alice",
        "QUERY alice ",
        "QUERY alice\t ",
        "PING a\nb",
        "PING :a\nb",
        "PING a\0b",
        "PING :a\0b",
        "PING :a\r\nb",
    ]

    @Test("leading, doubled or trailing spaces, newlines and NULs are refused", arguments: rejected)
    func rejects(line: String) {
        #expect(LocatorLine(parsing: line) == nil)
    }

    static let rendered: [([String], String)] = [
        (["PING"], "PING"),
        (["QUERY", "alice"], "QUERY alice"),
        (["LOGIN", "alice", "correct horse"], "LOGIN alice :correct horse"),
        (["LOGIN", "alice", ""], "LOGIN alice :"),
        (["PING", ":x"], "PING ::x"),
        (["LOGIN", "alice", "secret"], "LOGIN alice secret"),
        ([], ""),
    ]

    @Test("the last word becomes a ':' trailing word only when it has to", arguments: rendered)
    func renders(words: [String], line: String) {
        #expect(LocatorLine(words).rendered == line)
    }

    @Test(
        "rendering then parsing gives the words back",
        arguments: [
            ["PING"], ["LOGIN", "alice", "correct horse battery"], ["LOGIN", "alice", ""], ["X", ":colon"],
            ["ERR", "auth", "wrong password for alice"], ["PING", " leading space"], ["PING", "trailing space "],
        ])
    func roundTrip(words: [String]) {
        #expect(LocatorLine(parsing: LocatorLine(words).rendered)?.words == words)
    }
}
