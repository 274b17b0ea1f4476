import ChatEngine
import Foundation
import Testing

@testable import Shell

/// How far a friend read, as `/history` shows it: a WeeChat-like marker line for people, a field for scripts.
@Suite struct ReceiptsRenderingTests {
    let plain = Fixtures.renderer

    @Test func historyMarksTheLastMessageTheFriendRead() throws {
        let messages = [Fixtures.outgoing("one", delivery: .delivered), Fixtures.incoming("hi")]
        let lines = plain.human(.history(with: "bob", messages: messages, readUpTo: "m-out")).split(separator: "\n")
        #expect(lines.count == 4, "\(lines)")
        #expect(lines[1].hasSuffix("<alice> one"))
        #expect(lines[2] == "--- read by bob ---")
        #expect(lines[3].hasSuffix("<bob> hi"))
        let unmarked = plain.human(.history(with: "bob", messages: messages))
        #expect(!unmarked.contains("read by"))
    }

    @Test func historyJSONSaysHowFarTheFriendRead() throws {
        let json = plain.json(.history(with: "bob", messages: [Fixtures.outgoing("one")], readUpTo: "m-out"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["read_up_to"] as? String == "m-out")
        let none = plain.json(.history(with: "bob", messages: []))
        let noneObject = try #require(try JSONSerialization.jsonObject(with: Data(none.utf8)) as? [String: Any])
        #expect(noneObject["read_up_to"] is NSNull)
    }
}
