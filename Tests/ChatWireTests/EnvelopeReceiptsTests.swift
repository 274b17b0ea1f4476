import ChatWire
import Foundation
import NIOCore
import Testing

/// `Signals`, `Read` and `Typing`: each carries one small thing in `Data`, and a hostile peer's
/// variants are refused by field.
@Suite struct EnvelopeReceiptsTests {
    static func envelope(_ type: EnvelopeType, _ data: String?) -> Envelope {
        Envelope(type: type, source: "bob", target: "alice", id: "r-1", data: data)
    }

    @Test func choicesSurviveTheWireAndReadBack() throws {
        for choices in [ReceiptChoices(), ReceiptChoices(receipts: true), ReceiptChoices(typing: true),
            ReceiptChoices(receipts: true, typing: true)]
        {
            let decoded = try Envelope.decode(from: Self.envelope(.receiptChoices, choices.data).encoded())
            #expect(decoded.type.rawValue == "Signals")
            #expect(ReceiptChoices(data: decoded.data) == choices)
        }
        #expect(ReceiptChoices(receipts: true, typing: true).data == "receipts,typing")
        #expect(ReceiptChoices().data == "")
    }

    @Test func aNewerPeersChoicesKeepWhatThisVersionKnows() throws {
        let decoded = try Envelope.decode(from: Self.envelope(.receiptChoices, "reactions,typing").encoded())
        #expect(ReceiptChoices(data: decoded.data) == ReceiptChoices(typing: true))
        #expect(ReceiptChoices(data: nil) == ReceiptChoices())
    }

    @Test func readAndTypingSurviveTheWire() throws {
        let read = try Envelope.decode(from: Self.envelope(.read, "5c0ffee0-1").encoded())
        #expect(read.type.rawValue == "Read")
        #expect(read.data == "5c0ffee0-1")
        for state in TypingState.allCases {
            let typing = try Envelope.decode(from: Self.envelope(.typing, state.rawValue).encoded())
            #expect(typing.type.rawValue == "Typing")
            #expect(typing.data.flatMap(TypingState.init(rawValue:)) == state)
        }
    }

    static let hostile: [(String, Envelope, String)] = [
        ("choices with a capital letter", envelope(.receiptChoices, "Receipts"), "Data"),
        ("choices with an empty name", envelope(.receiptChoices, "receipts,,typing"), "Data"),
        ("choices with a space", envelope(.receiptChoices, "receipts, typing"), "Data"),
        ("choices with an escape", envelope(.receiptChoices, "\u{1B}[2J"), "Data"),
        ("choices longer than a few names", envelope(.receiptChoices, String(repeating: "a,", count: 100) + "a"), "Data"),
        ("read naming no message", envelope(.read, nil), "Data"),
        ("read naming an empty id", envelope(.read, ""), "Data"),
        ("read naming an id with a space", envelope(.read, "m 1"), "Data"),
        ("read naming an id too long", envelope(.read, String(repeating: "x", count: 129)), "Data"),
        ("typing without a state", envelope(.typing, nil), "Data"),
        ("typing with an unknown state", envelope(.typing, "shouting"), "Data"),
        ("typing with text in it", envelope(.typing, "active: hello"), "Data"),
    ]

    @Test("a hostile receipt or typing envelope is refused by field", arguments: hostile)
    func hostileEnvelope(_ label: String, envelope: Envelope, field: String) {
        #expect(throws: EnvelopeError.invalidField(field), "\(label)") { try Envelope.decode(from: envelope.encoded()) }
    }
}
