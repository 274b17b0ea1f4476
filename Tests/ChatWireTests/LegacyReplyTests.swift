import ChatWire
import Testing

@Suite("LegacyReply")
struct LegacyReplyTests {
    @Test("rendered byte for byte as the course server wrote them, without terminator")
    func rendered() {
        #expect(LegacyReply.loggedIn.rendered == "lol")
        #expect(LegacyReply.address("166.111.180.60").rendered == "166.111.180.60")
        #expect(LegacyReply.offline.rendered == "n")
        #expect(LegacyReply.loggedOut.rendered == "loo")
        #expect(LegacyReply.incorrectNumber.rendered == "Incorrect No.")
        #expect(LegacyReply.malformed.rendered == "Please send the correct message.")
    }

    static let login = LegacyRequest.login(id: "2017011000", password: "net2019")
    static let query = LegacyRequest.query(id: "2017011000")
    static let logout = LegacyRequest.logout(id: "2017011000")

    static let understood: [(String, LegacyRequest, LegacyReply)] = [
        ("lol", login, .loggedIn),
        ("lol\n", login, .loggedIn),
        ("lol\r\n", login, .loggedIn),
        ("loo", logout, .loggedOut),
        ("n", query, .offline),
        ("n\r\n", query, .offline),
        ("127.0.0.1", query, .address("127.0.0.1")),
        ("166.111.180.60\n", query, .address("166.111.180.60")),
        ("255.255.255.255", query, .address("255.255.255.255")),
        ("Incorrect No.", login, .incorrectNumber),
        ("Incorrect No.", query, .incorrectNumber),
        ("Incorrect No.\n", logout, .incorrectNumber),
        ("Please send the correct message.", login, .malformed),
        ("Please send the correct message.", query, .malformed),
        ("Please send the correct message.\r\n", logout, .malformed),
    ]

    @Test("a client understands each answer to its request", arguments: understood)
    func parses(text: String, request: LegacyRequest, expected: LegacyReply) {
        #expect(LegacyReply(parsing: text, answering: request) == expected)
    }

    static let nonsense: [(String, LegacyRequest)] = [
        ("", login),
        ("loo", login),  // the answer to another request
        ("lol", logout),
        ("lol", query),
        ("n", login),
        ("256.0.0.1", query),
        ("1.2.3", query),
        ("1.2.3.4.5", query),
        ("1..2.3", query),
        ("1.2.3.", query),
        ("01234.1.1.1", query),
        ("-1.2.3.4", query),
        ("::1", query),
        ("localhost", query),
        ("١.٢.٣.٤", query),  // Arabic-Indic digits are numbers, not ASCII digits
        ("Incorrect No", query),
        ("please send the correct message.", query),
        ("\0", query),
    ]

    @Test("a reply that makes no sense for the request is nil", arguments: nonsense)
    func rejects(text: String, request: LegacyRequest) {
        #expect(LegacyReply(parsing: text, answering: request) == nil)
    }

    @Test(
        "every reply parses back from its rendering",
        arguments: [
            (LegacyReply.loggedIn, login), (.address("10.0.0.1"), query), (.offline, query), (.loggedOut, logout),
            (.incorrectNumber, query), (.malformed, login),
        ])
    func roundTrip(reply: LegacyReply, request: LegacyRequest) {
        #expect(LegacyReply(parsing: reply.rendered, answering: request) == reply)
    }
}
