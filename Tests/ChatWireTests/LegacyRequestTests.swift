import ChatWire
import Testing

@Suite("LegacyRequest")
struct LegacyRequestTests {
    static let valid: [(String, LegacyRequest)] = [
        ("2017011000_net2019", .login(id: "2017011000", password: "net2019")),
        ("2017011000_net2019\n", .login(id: "2017011000", password: "net2019")),
        ("2017011000_net2019\r\n", .login(id: "2017011000", password: "net2019")),
        // Only the first underscore separates: the password may contain more.
        ("2017011000_a_b c", .login(id: "2017011000", password: "a_b c")),
        ("q2019011001", .query(id: "2019011001")),
        ("q2019011001\n", .query(id: "2019011001")),
        ("q2019011001\r\n", .query(id: "2019011001")),
        ("logout2019011001", .logout(id: "2019011001")),
        ("logout2019011001\n", .logout(id: "2019011001")),
        ("logout2019011001\r\n", .logout(id: "2019011001")),
        ("q0000000000", .query(id: "0000000000")),
    ]

    @Test("course requests parse, with or without a trailing \\n or \\r\\n", arguments: valid)
    func parses(text: String, expected: LegacyRequest) {
        #expect(LegacyRequest(parsing: text) == expected)
    }

    static let malformed: [String] = [
        "",
        "\n",
        "\r\n",
        "q",
        "q201901100",  // 9 digits
        "q20190110011",  // 11 digits
        "q2019011001\n\n",  // only one terminator is tolerated
        "q2019011001\r",  // a lone \r is not a terminator
        " q2019011001",
        "q2019011001 ",
        "Q2019011001",
        "q201901100a",
        "q２０１９０１１００１",  // full-width digits are not ASCII digits
        "q-201901100",
        "logout",
        "logout201901100",
        "logout20190110011",
        "LOGOUT2019011001",
        "2017011000_",  // empty password
        // A password is one line (the first found by the fuzzer: it rendered as a request that parsed otherwise).
        "2017011000_\n\n",
        "2017011000_net2019\n\n",
        "2017011000_net\n2019",
        "2017011000_net2019\r",
        "_net2019",
        "201701100_net2019",  // 9-digit id
        "20170110001_net2019",  // 11-digit id
        "2017011000net2019",
        "hello",
        "\0\u{1}\u{2}",
        "\u{FFFD}\u{FFFD}",
    ]

    @Test("anything else is malformed", arguments: malformed)
    func rejects(text: String) {
        #expect(LegacyRequest(parsing: text) == nil)
    }

    @Test("rendered without terminator, and parsed back to the same request", arguments: valid.map(\.1))
    func renders(request: LegacyRequest) {
        #expect(!request.rendered.hasSuffix("\n"))
        #expect(LegacyRequest(parsing: request.rendered) == request)
    }

    @Test("the exact bytes a course client sends")
    func exactRendering() {
        #expect(LegacyRequest.login(id: "2017011000", password: "net2019").rendered == "2017011000_net2019")
        #expect(LegacyRequest.query(id: "2019011001").rendered == "q2019011001")
        #expect(LegacyRequest.logout(id: "2019011001").rendered == "logout2019011001")
    }

    @Test("the id a request is about, for the roster check")
    func id() {
        #expect(LegacyRequest.login(id: "2017011000", password: "x").id == "2017011000")
        #expect(LegacyRequest.query(id: "2019011001").id == "2019011001")
        #expect(LegacyRequest.logout(id: "2019011002").id == "2019011002")
    }
}
