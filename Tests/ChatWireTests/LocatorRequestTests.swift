import ChatWire
import Testing

@Suite("LocatorRequest")
struct LocatorRequestTests {
    static let fingerprint = String(repeating: "0123456789abcdef", count: 4)

    static let requests: [(LocatorRequest, String)] = [
        (.login(user: "alice", password: "secret"), "LOGIN alice secret"),
        (.login(user: "alice", password: "correct horse battery staple"), "LOGIN alice :correct horse battery staple"),
        (.login(user: "2017011000", password: ":colon"), "LOGIN 2017011000 ::colon"),
        (.advertise(port: 40123, fingerprint: fingerprint), "ADVERTISE 40123 \(fingerprint)"),
        (.advertise(port: 1, fingerprint: fingerprint), "ADVERTISE 1 \(fingerprint)"),
        (.advertise(port: 65535, fingerprint: fingerprint), "ADVERTISE 65535 \(fingerprint)"),
        (.query(user: "bob"), "QUERY bob"),
        (.watch(users: ["bob"]), "WATCH bob"),
        (.watch(users: ["bob", "carol", "d.e_f-9"]), "WATCH bob carol d.e_f-9"),
        (.unwatch(users: ["bob", "carol"]), "UNWATCH bob carol"),
        (.logout, "LOGOUT"),
        (.ping(token: nil), "PING"),
        (.ping(token: "42"), "PING 42"),
        (.ping(token: "with space"), "PING :with space"),
        (.turn, "TURN"),
        (.candidates([PeerCandidate(word: "lan:192.168.77.2:40123")!, PeerCandidate(word: "relayed:[2001:db8::1]:3478")!]),
         "CANDIDATES lan:192.168.77.2:40123 relayed:[2001:db8::1]:3478"),
        (.candidates([]), "CANDIDATES"),
        (.paths(user: "alice"), "PATHS alice"),
        (.resume(user: "alice", token: ResumeToken(text: fingerprint)!), "RESUME alice \(fingerprint)"),
        (.token, "TOKEN"),
    ]

    @Test("each request renders to its line and parses back", arguments: requests)
    func roundTrip(request: LocatorRequest, line: String) throws {
        #expect(request.rendered == line)
        #expect(try LocatorRequest.parse(line).get() == request)
        #expect(line.hasPrefix(request.verb))
    }

    @Test("a new resumption token is 64 lowercase hex digits, never the same twice, and not printed whole")
    func randomResumeTokens() {
        let tokens = (0..<100).map { _ in ResumeToken.random() }
        #expect(Set(tokens).count == 100)
        for token in tokens {
            #expect(ResumeToken(text: token.text) == token)
            #expect(!"\(token)".contains(token.text))
        }
    }

    @Test("verbs are case-insensitive, as people type them into openssl s_client")
    func caseInsensitiveVerbs() throws {
        #expect(try LocatorRequest.parse("query bob").get() == .query(user: "bob"))
        #expect(try LocatorRequest.parse("Ping").get() == .ping(token: nil))
        #expect(try LocatorRequest.parse("login alice :pw").get() == .login(user: "alice", password: "pw"))
    }

    @Test("a password keeps its case and every character after ':'")
    func passwordVerbatim() throws {
        #expect(try LocatorRequest.parse("LOGIN alice : PassWord ").get() == .login(user: "alice", password: " PassWord "))
    }

    static let errors: [(String, LocatorError.Code)] = [
        ("", .syntax),
        ("LOGIN  alice", .syntax),
        ("LOGIN", .syntax),
        ("RESUME alice", .syntax),
        ("RESUME alice \(fingerprint.uppercased())", .syntax),
        ("RESUME alice \(fingerprint.dropLast())", .syntax),
        ("RESUME alice \(fingerprint) extra", .syntax),
        ("RESUME -alice \(fingerprint)", .invalidName),
        ("TOKEN now", .syntax),
        ("LOGIN alice", .syntax),
        ("LOGIN alice :", .syntax),
        ("LOGIN alice pw extra", .syntax),
        ("LOGIN -alice pw", .invalidName),
        ("LOGIN .alice pw", .invalidName),
        ("LOGIN al/ice pw", .invalidName),
        ("LOGIN \(String(repeating: "a", count: 33)) pw", .invalidName),
        ("LOGIN álice pw", .invalidName),
        ("ADVERTISE", .syntax),
        ("ADVERTISE 40123", .syntax),
        ("ADVERTISE 0 \(fingerprint)", .syntax),
        ("ADVERTISE 65536 \(fingerprint)", .syntax),
        ("ADVERTISE port \(fingerprint)", .syntax),
        ("ADVERTISE 40123 \(fingerprint.uppercased())", .syntax),
        ("ADVERTISE 40123 \(fingerprint.dropLast())", .syntax),
        ("ADVERTISE 40123 \(fingerprint) extra", .syntax),
        ("QUERY", .syntax),
        ("QUERY bob carol", .syntax),
        ("QUERY b@b", .invalidName),
        ("WATCH", .syntax),
        ("WATCH bob ../etc", .invalidName),
        ("WATCH " + (0...Limits.maxWatchBatch).map { "u\($0)" }.joined(separator: " "), .syntax),
        ("UNWATCH", .syntax),
        ("UNWATCH -x", .invalidName),
        ("LOGOUT now", .syntax),
        ("PING a b", .syntax),
        ("HELLO", .unknownCommand),
        ("q2019011001", .unknownCommand),
        (":", .unknownCommand),
    ]

    @Test("each malformed line gets its error code and a message for people", arguments: errors)
    func reportsError(line: String, code: LocatorError.Code) {
        switch LocatorRequest.parse(line) {
        case .success(let request):
            Issue.record("'\(line.prefix(60))' parsed as \(request)")
        case .failure(let error):
            #expect(error.code == code)
            #expect(!error.message.isEmpty)
            #expect(error.description == "\(code.rawValue): \(error.message)")
        }
    }

    @Test("the most users one WATCH may name is accepted")
    func watchBatchLimit() throws {
        let users = (0..<Limits.maxWatchBatch).map { "u\($0)" }
        #expect(try LocatorRequest.parse("WATCH " + users.joined(separator: " ")).get() == .watch(users: users))
    }

    @Test("an unknown command's echo is cut short, so a hostile line is not reflected whole")
    func unknownCommandEcho() throws {
        let verb = String(repeating: "X", count: 1000)
        guard case .failure(let error) = LocatorRequest.parse(verb) else {
            Issue.record("a 1000-letter verb parsed")
            return
        }
        #expect(error.code == .unknownCommand)
        #expect(error.message.utf8.count < 200)
    }
}
