import ChatWire
import Testing

@Suite("LocatorReply")
struct LocatorReplyTests {
    static let fingerprint = String(repeating: "fedcba9876543210", count: 4)
    static let modern = PeerAddress(host: "192.168.1.20", port: 40123, fingerprint: fingerprint)
    static let legacy = PeerAddress(host: "127.0.0.1", port: nil, fingerprint: nil)

    static let replies: [(LocatorReply, String)] = [
        (.ok(verb: "LOGIN", details: ["alice", "registered"]), "OK LOGIN alice registered"),
        (.ok(verb: "LOGOUT", details: []), "OK LOGOUT"),
        (.ok(verb: "WATCH", details: ["3"]), "OK WATCH 3"),
        (.error(LocatorError(.auth, "wrong password for alice")), "ERR auth :wrong password for alice"),
        (.error(LocatorError(.busy, "")), "ERR busy :"),
        (.user("bob", modern), "USER bob online 192.168.1.20 40123 \(fingerprint)"),
        (.user("2017011000", legacy), "USER 2017011000 online 127.0.0.1 - -"),
        (.user("bob", nil), "USER bob offline"),
        (.pong(token: nil), "PONG"),
        (.pong(token: "42"), "PONG 42"),
        (.presence("bob", modern), "PRESENCE bob online 192.168.1.20 40123 \(fingerprint)"),
        (.presence("bob", nil), "PRESENCE bob offline"),
        (.bye(reason: "replaced"), "BYE replaced"),
    ]

    @Test("each reply renders to its line and parses back", arguments: replies)
    func roundTrip(reply: LocatorReply, line: String) {
        #expect(reply.rendered == line)
        #expect(LocatorReply(parsing: line) == reply)
    }

    @Test("every error code survives a round trip", arguments: LocatorError.Code.allCases)
    func errorCodes(code: LocatorError.Code) {
        let reply = LocatorReply.error(LocatorError(code, "what went wrong: details"))
        #expect(reply.rendered.hasPrefix("ERR \(code.rawValue) :"))
        #expect(LocatorReply(parsing: reply.rendered) == reply)
    }

    @Test("the error codes programs match on are stable")
    func errorCodeSpelling() {
        #expect(LocatorError.Code.allCases.map(\.rawValue) == [
            "syntax", "unknown-command", "invalid-name", "auth", "registration-closed", "not-logged-in",
            "already-logged-in", "line-too-long", "busy", "server", "no-relay",
        ])
    }

    @Test("only PRESENCE and BYE are pushes")
    func pushes() {
        for (reply, _) in Self.replies {
            switch reply {
            case .presence, .bye: #expect(reply.isPush)
            default: #expect(!reply.isPush)
            }
        }
    }

    @Test("a peer reachable over IPv6 loopback (::1) is rendered so a client can parse it")
    func ipv6Host() {
        for host in ["::1", "fe80::1", "::ffff:10.0.0.1"] {
            let reply = LocatorReply.user("bob", PeerAddress(host: host, port: 40123, fingerprint: Self.fingerprint))
            let parsed = LocatorReply(parsing: reply.rendered)
            #expect(parsed != nil, "'\(reply.rendered)' does not parse")
            if case .user(_, let address?) = parsed {
                #expect(address.port == 40123)
                #expect(address.fingerprint == Self.fingerprint)
            }
        }
    }

    static let nonsense: [String] = [
        "",
        "OK",
        "ok LOGIN",
        "ERR",
        "ERR auth",
        "ERR nonsense :message",
        "ERR auth message extra",
        "USER",
        "USER bob",
        "USER bob away",
        "USER bob offline extra",
        "USER -bob offline",
        "USER bob online",
        "USER bob online 1.2.3.4",
        "USER bob online 1.2.3.4 40123",
        "USER bob online 1.2.3.4 0 -",
        "USER bob online 1.2.3.4 65536 -",
        "USER bob online 1.2.3.4 port -",
        "USER bob online 1.2.3.4 40123 abc",
        "USER bob online 1.2.3.4 40123 \(fingerprint.uppercased())",
        "USER bob online 1.2.3.4 40123 \(fingerprint) extra",
        "USER bob online :1.2.3.4 40123 -",
        "PRESENCE bob",
        "PRESENCE bob online 1.2.3.4 - - -",
        "PONG a b",
        "BYE",
        "BYE a b",
        "HELLO world",
        "lol",
    ]

    @Test("lines a server should never send are nil", arguments: nonsense)
    func rejects(line: String) {
        #expect(LocatorReply(parsing: line) == nil)
    }
}
