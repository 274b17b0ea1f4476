import ChatWire
import Testing

@Suite("TurnOffer")
struct TurnOfferTests {
    @Test("an OK TURN line's details make the offer and render back")
    func roundTrip() throws {
        let line = "OK TURN turn:203.0.113.1:3478 1700000000:alice q1w2e3+/r4t5y6u7i8o9p0a1s2d3= 1700000000"
        guard case .ok(let verb, let details)? = LocatorReply(parsing: line), let offer = TurnOffer(words: details) else {
            Issue.record("not an offer: \(line)")
            return
        }
        #expect(verb == "TURN")
        #expect(offer.host == "203.0.113.1" && offer.port == 3478 && offer.expires == 1_700_000_000)
        #expect(offer.username == "1700000000:alice")
        #expect(LocatorReply.ok(verb: "TURN", details: offer.words).rendered == line)
    }

    @Test("TURN URIs: host and port, IPv6 in brackets; anything else refused", arguments: [
        ("turn:relay.example.org:3478", "relay.example.org", 3478),
        ("turn:[2001:db8::1]:443", "2001:db8::1", 443),
    ])
    func uris(text: String, host: String, port: Int) {
        let parsed = TurnOffer.parseURI(text)
        #expect(parsed?.host == host && parsed?.port == port)
    }

    @Test("malformed URIs and offers are refused", arguments: [
        "turn:host", "turns:host:5349", "turn::3478", "turn:host:0", "turn:host:70000", "turn:ho st:1", "stun:host:3478",
    ])
    func badURIs(text: String) {
        #expect(TurnOffer.parseURI(text) == nil)
        #expect(TurnOffer(words: [text, "1:a", "pw", "1"]) == nil)
    }

    @Test("an offer needs four details with a positive expiry")
    func badOffers() {
        #expect(TurnOffer(words: ["turn:h:1", "1:a", "pw"]) == nil)
        #expect(TurnOffer(words: ["turn:h:1", "1:a", "pw", "soon"]) == nil)
        #expect(TurnOffer(words: ["turn:h:1", "1:a", "pw", "-5"]) == nil)
        #expect(TurnOffer(words: ["turn:h:1", "1:a", "pw", "5"]) != nil)
    }
}
