import Foundation
import Testing

@testable import ChatEngine
@testable import Shell

/// How edits, deletes, replies and message numbers read, for people and in JSON.
@Suite struct OutputRendererChangeTests {
    let plain = Fixtures.renderer

    static func numbered(_ message: StoredMessage, _ number: Int) -> StoredMessage {
        var message = message
        message.number = number
        return message
    }

    @Test func historyNumbersEditsDeletesAndQuotes() {
        var edited = Self.numbered(Fixtures.changed("see you at eleven"), 1)
        edited.original = "see you at ten"
        let deleted = Self.numbered(Fixtures.changed(nil), 2)
        var reply = Self.numbered(Fixtures.outgoing("fine", delivery: .delivered), 3)
        reply.replyTo = "m-in"
        reply.quote = StoredMessage.Quote(sender: "bob", body: "see you at eleven", isDeleted: false)
        var toDeleted = Self.numbered(Fixtures.outgoing("what was it?", delivery: .delivered), 4)
        toDeleted.quote = StoredMessage.Quote(sender: "bob", body: "", isDeleted: true)
        #expect(
            plain.human(.history(with: "bob", messages: [edited, deleted, reply, toDeleted])) == """
                -!- messages with bob:
                1 [09:05] <bob> see you at eleven (edited)
                2 [09:05] <bob> [deleted]
                3 [09:05] <alice> [re bob: see you at eleven] fine
                4 [09:05] <alice> [re bob: [deleted]] what was it?
                """)
        #expect(plain.human(.event(.messaging(.deleted(Fixtures.changed(nil))))) == "[09:05] <bob> [deleted]")
        #expect(
            plain.human(.event(.groups(.messageEdited(group: "#team", message: Fixtures.changed("hi everyone")))))
                == "[09:05] #team <bob> hi everyone (edited)")
    }

    @Test func aLongQuoteIsCutAndStaysOnOneLine() {
        let quote = StoredMessage.Quote(sender: "bob", body: "line one\nline two " + String(repeating: "x", count: 60), isDeleted: false)
        #expect(quote.text.count == StoredMessage.Quote.maxLength)
        #expect(quote.text.hasPrefix("line one line two") && quote.text.hasSuffix("…"))
    }

    @Test func jsonSaysWhatChanged() throws {
        var edited = Self.numbered(Fixtures.changed("see you at eleven"), 7)
        edited.original = "see you at ten"
        edited.replyTo = "m-0"
        let line = plain.json(.history(with: "bob", messages: [edited]))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let message = try #require((object["messages"] as? [[String: Any]])?.first)
        #expect(message["number"] as? Int == 7)
        #expect(message["edited"] as? Bool == true && message["deleted"] as? Bool == false)
        #expect(message["original"] as? String == "see you at ten")
        #expect(message["reply_to"] as? String == "m-0")
        let deleted = plain.json(.event(.messaging(.deleted(Fixtures.changed(nil)))))
        #expect(deleted.contains(#""event":"deleted""#) && deleted.contains(#""id":"m-in""#))
    }
}
