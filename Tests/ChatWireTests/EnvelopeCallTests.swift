import ChatWire
import Foundation
import NIOCore
import Testing

/// The call envelopes: an offer and an answer carry a port and a 32-byte key, every call
/// envelope names its call, and a hostile peer's variants are refused by field.
@Suite struct EnvelopeCallTests {
    static let key = Data(repeating: 7, count: 32).base64EncodedString()

    static func call(
        _ type: EnvelopeType, data: String? = "127.0.0.1", port: Int? = 40000, key: String? = EnvelopeCallTests.key,
        candidates: [String]? = nil
    ) -> Envelope {
        Envelope(type: type, source: "alice", target: "bob", id: "c-1", data: data, mediaPort: port, mediaKey: key, mediaCandidates: candidates)
    }

    @Test("an offer's UDP candidates survive the wire; an offer without them decodes as before")
    func candidatesSurviveTheWire() throws {
        let words = ["lan:192.168.77.2:40000", "direct:203.0.113.9:51000", "relayed:[2001:db8::1]:50123"]
        let decoded = try Envelope.decode(from: Self.call(.audio, candidates: words).encoded())
        #expect(decoded.mediaCandidates == words)
        #expect(String(buffer: try Self.call(.audioAnswer, data: "c-1", candidates: words).encoded()).contains(#""Candidates":["lan:192.168.77.2:40000""#))
        #expect(try Envelope.decode(from: Self.call(.audio).encoded()).mediaCandidates == nil)
    }

    @Test func offerAndAnswerSurviveTheWire() throws {
        for envelope in [Self.call(.audio, data: "::1"), Self.call(.audioAnswer, data: "c-1")] {
            let decoded = try Envelope.decode(from: envelope.encoded())
            #expect(decoded.mediaPort == 40000)
            #expect(decoded.mediaKey == Self.key)
            #expect(decoded.data == envelope.data)
        }
        let text = String(buffer: try Self.call(.audio).encoded())
        #expect(text.contains(#""Port":40000"#))
        #expect(text.contains(#""Key":""#))
    }

    static let hostile: [(String, Envelope, String)] = [
        ("offer without an address", call(.audio, data: nil), "Data"),
        ("offer with a host name for an address", call(.audio, data: "example.com"), "Data"),
        ("offer with a script for an address", call(.audio, data: "<script>"), "Data"),
        ("offer without a port", call(.audio, port: nil), "Port"),
        ("offer with port 0", call(.audio, port: 0), "Port"),
        ("offer with port 65536", call(.audio, port: 65536), "Port"),
        ("offer with a negative port", call(.audio, port: -5), "Port"),
        ("offer without a key", call(.audio, key: nil), "Key"),
        ("offer with a 16-byte key", call(.audio, key: Data(count: 16).base64EncodedString()), "Key"),
        ("offer with a key that is not base64", call(.audio, key: "not base64!"), "Key"),
        ("answer without a key", call(.audioAnswer, data: "c-1", key: nil), "Key"),
        ("answer without a port", call(.audioAnswer, data: "c-1", port: nil), "Port"),
        ("answer naming no call", call(.audioAnswer, data: nil), "Data"),
        ("End naming no call", call(.end, data: ""), "Data"),
        ("reject naming no call", call(.audioReject, data: nil), "Data"),
        ("offer with a host name for a candidate", call(.audio, candidates: ["direct:example.com:4000"]), "Candidates"),
        ("offer with a candidate of an unknown kind", call(.audio, candidates: ["stun:203.0.113.9:4000"]), "Candidates"),
        ("answer with a candidate on port 0", call(.audioAnswer, data: "c-1", candidates: ["lan:10.0.0.2:0"]), "Candidates"),
        ("offer with more candidates than a machine has", call(.audio, candidates: Array(repeating: "lan:10.0.0.2:4000", count: 13)), "Candidates"),
    ]

    @Test("a hostile call envelope is refused by field", arguments: hostile)
    func hostileCall(_ label: String, envelope: Envelope, field: String) {
        #expect(throws: EnvelopeError.invalidField(field), "\(label)") { try Envelope.decode(from: envelope.encoded()) }
    }

    @Test func aPortAsTextIsNotJSONOfAnEnvelope() {
        let text = #"{"Type":"AUDIO","Source":"alice","Target":"bob","Time":"2026-11-27T10:00:00Z","Id":"c","Data":"127.0.0.1","Port":"80","Key":"x"}"#
        #expect(throws: EnvelopeError.self) { try Envelope.decode(from: ByteBuffer(string: text)) }
    }
}
