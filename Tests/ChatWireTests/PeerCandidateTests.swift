import ChatWire
import Testing

@Suite("PeerCandidate")
struct PeerCandidateTests {
    @Test("a candidate is kind:address:port, IPv6 in brackets, and reads back as itself", arguments: [
        "lan:192.168.77.2:40123", "direct:203.0.113.9:1", "relayed:198.51.100.1:65535", "lan:[2001:db8::1]:40123", "lan:[fe80::1:2:3:4]:9", "lan:[::1]:2", "lan:[1:2:3:4:5:6:7:8]:3",
    ])
    func roundTrip(word: String) throws {
        let candidate = try #require(PeerCandidate(word: word))
        #expect(candidate.word == word)
    }

    @Test("anything else is refused", arguments: [
        "", "lan", "lan:1.2.3.4", "lan:1.2.3.4:0", "lan:1.2.3.4:65536", "wan:1.2.3.4:5", "lan:example.org:5", "lan:2001:db8::1:5",
        "lan:[2001:db8::1:5", "lan:[1.2.3.4]:5", "lan:[2001:db8:::1]:5", "lan:[1::2::3]:5", "lan:256.1.1.1:5", "lan:1.2.3.4:5x",
        "relayed:[\(String(repeating: "abcd:", count: 8))1]:5", "lan:[1:2:3]:5", "lan:[1:2:3:4:5:6:7:8:9]:5", "lan:[::g]:5",
        "lan:[1::2:]:5", "punched:1.2.3.4:5",
    ])
    func refused(word: String) {
        #expect(PeerCandidate(word: word) == nil)
    }

    @Test("tries go LAN first, then direct, then relayed")
    func order() {
        #expect(PeerCandidate.Kind.allCases.filter(\.isCandidate).sorted() == [.lan, .direct, .relayed])
        #expect([PeerCandidate.Kind.relayed, .lan, .direct].sorted() == [.lan, .direct, .relayed])
    }

    @Test("PATHS and CANDIDATES lines render and parse back; too many candidates are refused")
    func lines() throws {
        let lan = try #require(PeerCandidate(word: "lan:192.168.77.2:40123"))
        let relayed = try #require(PeerCandidate(word: "relayed:198.51.100.1:50000"))
        let reply = LocatorReply.paths("alice", [lan, relayed])
        #expect(reply.rendered == "PATHS alice lan:192.168.77.2:40123 relayed:198.51.100.1:50000")
        #expect(LocatorReply(parsing: reply.rendered) == reply)
        #expect(LocatorReply(parsing: "PATHS alice") == .paths("alice", []))
        #expect(LocatorReply(parsing: "PATHS alice lan:nowhere:1") == nil)
        #expect(try LocatorRequest.parse("CANDIDATES lan:192.168.77.2:40123").get() == .candidates([lan]))
        #expect(try LocatorRequest.parse("PATHS alice").get() == .paths(user: "alice"))
        let tooMany = (0...Limits.maxCandidates).map { "lan:10.0.0.\($0 + 1):1" }.joined(separator: " ")
        guard case .failure(let error) = LocatorRequest.parse("CANDIDATES \(tooMany)") else {
            Issue.record("\(Limits.maxCandidates + 1) candidates were taken")
            return
        }
        #expect(error.code == .syntax)
        guard case .failure = LocatorRequest.parse("CANDIDATES lan:1.2.3.4:5 garbage") else {
            Issue.record("a malformed candidate was taken")
            return
        }
    }
}
