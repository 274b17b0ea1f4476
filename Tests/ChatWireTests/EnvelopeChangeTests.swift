import ChatWire
import Foundation
import NIOCore
import Testing

/// Edits, deletes and replies on the wire: each names the message it is about in `Ref`, and a
/// hostile peer's variants are refused by field.
@Suite struct EnvelopeChangeTests {
    static let group = String(repeating: "ab", count: 16)
    static let time = Date(timeIntervalSince1970: 1_764_237_600.25)

    static func change(
        _ type: EnvelopeType, data: String? = nil, ref: String? = "m-1", header: GroupHeader? = nil
    ) -> Envelope {
        // A time in whole milliseconds, as the wire carries it.
        Envelope(type: type, source: "alice", target: "bob", time: time, id: "e-1", data: data, group: header, ref: ref)
    }

    @Test func changesAndRepliesSurviveTheWire() throws {
        let envelopes = [
            Self.change(.edit, data: "see you at eleven"),
            Self.change(.delete),
            Self.change(.edit, data: "meet at eleven", header: GroupHeader(id: Self.group, sequence: 3)),
            Self.change(.delete, header: GroupHeader(id: Self.group, sequence: 4)),
            Self.change(.message, data: "yes"),
            Self.change(.group, data: "yes", header: GroupHeader(id: Self.group, sequence: 5)),
        ]
        for envelope in envelopes {
            #expect(try Envelope.decode(from: envelope.encoded()) == envelope)
        }
        let text = String(buffer: try Self.change(.edit, data: "x").encoded())
        #expect(text.contains(#""Type":"Edit""#) && text.contains(#""Ref":"m-1""#))
        #expect(!String(buffer: try Envelope(type: .message, source: "a", target: "b", data: "x").encoded()).contains("Ref"))
    }

    static let hostile: [(String, Envelope, String)] = [
        ("edit naming no message", change(.edit, data: "x", ref: nil), "Ref"),
        ("delete naming no message", change(.delete, ref: nil), "Ref"),
        ("edit with an empty text", change(.edit, data: ""), "Data"),
        ("edit without a text", change(.edit), "Data"),
        ("delete with a text", change(.delete, data: "x"), "Data"),
        ("edit longer than a message", change(.edit, data: String(repeating: "x", count: Limits.maxMessageText + 1)), "Data"),
        ("reference with a space", change(.message, data: "x", ref: "m 1"), "Ref"),
        ("reference of 129 characters", change(.delete, ref: String(repeating: "r", count: 129)), "Ref"),
        ("empty reference", change(.delete, ref: ""), "Ref"),
        ("group edit without its count", change(.edit, data: "x", header: GroupHeader(id: group)), "GroupSeq"),
        ("group delete with count 0", change(.delete, header: GroupHeader(id: group, sequence: 0)), "GroupSeq"),
        ("group edit of a bad group id", change(.edit, data: "x", header: GroupHeader(id: "team", sequence: 1)), "GroupId"),
        (
            "group edit that is an announcement too",
            change(.edit, data: "x", header: GroupHeader(id: group, operation: .announce, version: 2, sequence: 1)), "GroupOp"
        ),
    ]

    @Test("a hostile change is refused by field", arguments: hostile)
    func hostileChange(_ label: String, envelope: Envelope, field: String) {
        #expect(throws: EnvelopeError.invalidField(field), "\(label)") { try Envelope.decode(from: envelope.encoded()) }
    }
}
