import ChatWire
import Foundation
import NIOCore
import Testing

@Suite("Envelope")
struct EnvelopeTests {
    /// 2026-11-27T10:00:00.250Z: whole milliseconds, which is what the wire carries.
    static let time = Date(timeIntervalSince1970: 1_795_773_600.25)

    private func message(
        type: EnvelopeType = .message, source: String = "alice", target: String = "bob", id: String = "m-1",
        data: String? = "hi", fileSize: Int64? = nil, groupName: String? = nil
    ) -> Envelope {
        Envelope(
            type: type, source: source, target: target, time: Self.time, id: id, data: data, fileSize: fileSize,
            groupName: groupName)
    }

    private func json(_ envelope: Envelope) throws -> [String: Any] {
        var buffer = try envelope.encoded()
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    private func decode(_ text: String) throws(EnvelopeError) -> Envelope {
        try Envelope.decode(from: ByteBuffer(string: text))
    }

    @Test("encodes with the original system's field names, omitting absent optional fields")
    func encodesOriginalNames() throws {
        let object = try json(message())
        #expect(Set(object.keys) == ["Type", "Source", "Target", "Time", "Id", "Data"])
        #expect(object["Type"] as? String == "Msg")
        #expect(object["Source"] as? String == "alice")
        #expect(object["Target"] as? String == "bob")
        #expect(object["Time"] as? String == "2026-11-27T10:00:00.250Z")
        #expect(object["Id"] as? String == "m-1")
        #expect(object["Data"] as? String == "hi")
    }

    @Test("FileSize and GROUPNAME are written where they apply")
    func encodesFileSizeAndGroupName() throws {
        let file = try json(message(type: .file, data: "photo.jpg", fileSize: 123_456))
        #expect(file["FileSize"] as? Int == 123_456)
        #expect(file["GROUPNAME"] == nil)
        let group = try json(message(type: .group, data: "g-1", groupName: "Weekend plans"))
        #expect(group["GROUPNAME"] as? String == "Weekend plans")
        #expect(group["FileSize"] == nil)
    }

    @Test("decodes what the original system sent, with or without fractional seconds")
    func decodesOriginalJSON() throws {
        let envelope = try decode(
            #"{"Type":"FILE","Source":"2017011000","Target":"2019011001","Time":"2026-11-27T10:00:00Z","Id":"x1","Data":"a.txt","FileSize":42}"#
        )
        #expect(envelope.type == .file)
        #expect(envelope.source == "2017011000")
        #expect(envelope.target == "2019011001")
        #expect(envelope.time == Date(timeIntervalSince1970: 1_795_773_600))
        #expect(envelope.id == "x1")
        #expect(envelope.data == "a.txt")
        #expect(envelope.fileSize == 42)
        #expect(envelope.groupName == nil)

        let group = try decode(
            #"{"Type":"GROUP","Source":"alice","Target":"bob","Time":"2026-11-27T10:00:00.250Z","Id":"g","GROUPNAME":"team"}"#)
        #expect(group.time == Self.time)
        #expect(group.groupName == "team")
        #expect(group.data == nil)
    }

    @Test(
        "encode then decode gives the same envelope",
        arguments: [
            EnvelopeType.message, .ack, .nack, .friendRequest, .friendAccept, .friendRemove, .group, .file, .audioReject, .audioBusy, .end,
        ])
    func roundTrip(type: EnvelopeType) throws {
        let original = message(type: type, data: "data of \(type)", fileSize: type == .file ? 1 << 40 : nil,
                               groupName: type == .group ? "Großes Team 👋" : nil)
        #expect(try Envelope.decode(from: original.encoded()) == original)
    }

    @Test("a fresh envelope's time survives the wire to the millisecond")
    func freshTime() throws {
        let original = Envelope(type: .message, source: "alice", target: "bob", data: "now")
        let decoded = try Envelope.decode(from: original.encoded())
        #expect(abs(decoded.time.timeIntervalSince(original.time)) < 0.001)
        #expect(decoded.id == original.id)
    }

    @Test("text is carried verbatim: quotes, backslashes, newlines, emoji")
    func textVerbatim() throws {
        let text = "say \"hi\"\\n\nnext line\t👋\u{0}"
        #expect(try Envelope.decode(from: message(data: text).encoded()).data == text)
    }

    @Test("an unknown Type from a newer peer still decodes, by name")
    func unknownType() throws {
        let envelope = try decode(
            #"{"Type":"Reaction","Source":"alice","Target":"bob","Time":"2026-11-27T10:00:00Z","Id":"t","Extra":[1,2]}"#)
        #expect(envelope.type.rawValue == "Reaction")
        #expect(envelope.type.description == "Reaction")
    }

    @Test("new ids are unique and valid Ids")
    func newIDs() throws {
        let ids = (0..<100).map { _ in Envelope.newID() }
        #expect(Set(ids).count == 100)
        for id in ids { try message(id: id).validate() }
    }

    static let invalidFields: [(String, Envelope, String)] = {
        func make(
            type: EnvelopeType = .message, source: String = "alice", target: String = "bob", id: String = "m-1",
            data: String? = "hi", fileSize: Int64? = nil, groupName: String? = nil
        ) -> Envelope {
            Envelope(type: type, source: source, target: target, time: time, id: id, data: data, fileSize: fileSize, groupName: groupName)
        }
        return [
            ("empty Type", make(type: EnvelopeType(rawValue: "")), "Type"),
            ("65-byte Type", make(type: EnvelopeType(rawValue: String(repeating: "T", count: 65))), "Type"),
            ("empty Source", make(source: ""), "Source"),
            ("Source starting with -", make(source: "-alice"), "Source"),
            ("Source starting with .", make(source: ".alice"), "Source"),
            ("Source with a slash", make(source: "../alice"), "Source"),
            ("Source with a space", make(source: "al ice"), "Source"),
            ("33-character Source", make(source: String(repeating: "a", count: 33)), "Source"),
            ("non-ASCII Source", make(source: "álice"), "Source"),
            ("empty Target", make(target: ""), "Target"),
            ("Target with a newline", make(target: "bob\n"), "Target"),
            ("empty Id", make(id: ""), "Id"),
            ("Id with a space", make(id: "a b"), "Id"),
            ("Id with a control character", make(id: "a\u{7}"), "Id"),
            ("129-byte Id", make(id: String(repeating: "i", count: 129)), "Id"),
            ("Data over 64 KiB", make(data: String(repeating: "d", count: Limits.maxMessageText + 1)), "Data"),
            ("Msg without Data", make(data: nil), "Data"),
            ("Msg with empty Data", make(data: ""), "Data"),
            ("Ack without Data", make(type: .ack, data: nil), "Data"),
            ("Nack without Data", make(type: .nack, data: nil), "Data"),
            ("Nack with empty Data", make(type: .nack, data: ""), "Data"),
            ("negative FileSize", make(type: .file, data: "f", fileSize: -1), "FileSize"),
            ("257-byte GROUPNAME", make(type: .group, groupName: String(repeating: "g", count: 257)), "GROUPNAME"),
        ]
    }()

    @Test("validation names the bad field", arguments: invalidFields)
    func invalidField(_ label: String, envelope: Envelope, field: String) throws {
        #expect(throws: EnvelopeError.invalidField(field), "\(label)") { try envelope.validate() }
        // And a peer sending it is refused the same way.
        #expect(throws: EnvelopeError.invalidField(field), "\(label)") { try Envelope.decode(from: envelope.encoded()) }
    }

    @Test("the edges that are still valid")
    func validEdges() throws {
        try message(source: String(repeating: "a", count: 32), target: "2017011000").validate()
        try message(id: String(repeating: "i", count: 128)).validate()
        try message(data: String(repeating: "d", count: Limits.maxMessageText)).validate()
        try message(type: .file, data: "f", fileSize: 0).validate()
        try message(type: .group, groupName: String(repeating: "g", count: 256)).validate()
        try message(type: .friendRequest, data: nil).validate()
        try message(type: EnvelopeType(rawValue: String(repeating: "T", count: 64))).validate()
    }

    static let base = #""Source":"alice","Target":"bob","Time":"2026-11-27T10:00:00Z","Id":"m""#

    static let notEnvelopes: [(String, String)] = [
        ("empty", ""),
        ("not JSON", "hello"),
        ("truncated", #"{"Type":"Msg","#),
        ("an array", "[]"),
        ("null", "null"),
        ("missing Type", #"{\#(base),"Data":"hi"}"#),
        ("missing Source", #"{"Type":"Msg","Target":"bob","Time":"2026-11-27T10:00:00Z","Id":"m","Data":"hi"}"#),
        ("missing Target", #"{"Type":"Msg","Source":"alice","Time":"2026-11-27T10:00:00Z","Id":"m","Data":"hi"}"#),
        ("missing Time", #"{"Type":"Msg","Source":"alice","Target":"bob","Id":"m","Data":"hi"}"#),
        ("missing Id", #"{"Type":"Msg","Source":"alice","Target":"bob","Time":"2026-11-27T10:00:00Z","Data":"hi"}"#),
        ("lower-case field names", #"{"type":"Msg","source":"alice","target":"bob","time":"2026-11-27T10:00:00Z","id":"m","data":"hi"}"#),
        ("Data as a number", #"{"Type":"Msg",\#(base),"Data":5}"#),
        ("FileSize as text", #"{"Type":"FILE",\#(base),"Data":"f","FileSize":"5"}"#),
        ("FileSize as a fraction", #"{"Type":"FILE",\#(base),"Data":"f","FileSize":1.5}"#),
        ("Type as null", #"{"Type":null,\#(base),"Data":"hi"}"#),
    ]

    @Test("what is not an envelope is refused as invalid JSON", arguments: notEnvelopes)
    func invalidJSON(_ label: String, text: String) {
        do {
            let envelope = try decode(text)
            Issue.record("\(label) decoded as \(envelope)")
        } catch {
            guard case .invalidJSON(let detail) = error else {
                Issue.record("\(label): \(error)")
                return
            }
            #expect(detail.count <= 200)
        }
    }

    static let badTimes: [String] = [
        "", "yesterday", "1795773600", "2026-11-27", "2026-11-27 10:00:00", "2026-13-01T00:00:00Z",
        "2026-11-27T10:00:00.250Z" + String(repeating: "0", count: 60),
    ]

    @Test("a Time that is not ISO 8601 is refused", arguments: badTimes)
    func badTime(time: String) {
        let text = #"{"Type":"Msg","Source":"alice","Target":"bob","Time":"\#(time)","Id":"m","Data":"hi"}"#
        #expect(throws: EnvelopeError.self) { try decode(text) }
    }

    @Test("a Time that is a number is refused")
    func numericTime() {
        #expect(throws: EnvelopeError.self) {
            try decode(#"{"Type":"Msg","Source":"alice","Target":"bob","Time":1795773600,"Id":"m","Data":"hi"}"#)
        }
    }

    @Test("errors say what was wrong")
    func descriptions() {
        #expect(EnvelopeError.invalidField("Source").description == "envelope field 'Source' is missing or invalid")
        #expect(EnvelopeError.invalidJSON("x").description == "envelope is not valid JSON: x")
    }

    @Test("the transfer fields round-trip and are checked")
    func transferFields() throws {
        let offer = Envelope(
            type: .file, source: "alice", target: "bob", time: Self.time, id: "m-2", data: "cat.jpg", fileSize: 10,
            transfer: "t-1", sha256: String(repeating: "ab", count: 32))
        #expect(try Envelope.decode(from: offer.encoded()) == offer)
        let accept = Envelope(type: .fileAccept, source: "bob", target: "alice", time: Self.time, id: "m-3", transfer: "t-1", offset: 5, stream: 9)
        #expect(try json(accept)["Offset"] as? Int == 5)
        #expect(try Envelope.decode(from: accept.encoded()) == accept)

        let base = #""Source":"alice","Target":"bob","Time":"2026-11-27T10:00:00Z","Id":"x""#
        let refused: [(String, String)] = [
            (#"{"Type":"FILE",\#(base),"Data":"..","FileSize":1,"Transfer":"t"}"#, "Data"),
            (#"{"Type":"FILE",\#(base),"Data":"a","Transfer":"t"}"#, "FileSize"),
            (#"{"Type":"FILE",\#(base),"Data":"a","FileSize":1,"Transfer":"t u"}"#, "Transfer"),
            (#"{"Type":"FileEnd",\#(base),"Transfer":"t","Sha256":"ABC"}"#, "Sha256"),
            (#"{"Type":"FileEnd",\#(base),"Transfer":"t"}"#, "Sha256"),
            (#"{"Type":"FileAccept",\#(base),"Transfer":"t","Offset":-1,"Stream":1}"#, "Offset"),
            (#"{"Type":"FileAccept",\#(base),"Transfer":"t","Offset":0}"#, "Stream"),
            (#"{"Type":"FileCancel",\#(base)}"#, "Transfer"),
        ]
        for (text, field) in refused {
            #expect(throws: EnvelopeError.invalidField(field), "\(text)") { try decode(text) }
        }
        #expect(throws: EnvelopeError.self) {
            try decode(#"{"Type":"FileAccept",\#(base),"Transfer":"t","Offset":0,"Stream":-1}"#)
        }
    }

    /// The fuzzer (`Tests/Fuzz/Envelope`) found `.251` read back as `.250`: the parsed time fell just
    /// below the millisecond, and the formatter truncates. Half of all milliseconds did so.
    @Test("every millisecond of a Time is written back as it was read", arguments: ["2026", "4052", "1970"])
    func everyMillisecond(year: String) throws {
        for millisecond in 0..<1000 {
            let time = "\(year)-11-27T10:00:00.\(String(1000 + millisecond).dropFirst())Z"
            let envelope = try decode(#"{"Type":"Msg","Source":"alice","Target":"bob","Time":"\#(time)","Id":"m-1","Data":"hi"}"#)
            #expect(try json(envelope)["Time"] as? String == time)
            #expect(try Envelope.decode(from: envelope.encoded()) == envelope, "\(time)")
        }
    }

    @Test("a Time finer than a millisecond is read to the nearest one, and stays so")
    func subMillisecond() throws {
        let envelope = try decode(#"{"Type":"Msg","Source":"alice","Target":"bob","Time":"2026-11-27T10:00:00.2519Z","Id":"m-1","Data":"hi"}"#)
        #expect(try json(envelope)["Time"] as? String == "2026-11-27T10:00:00.252Z")
        #expect(try Envelope.decode(from: envelope.encoded()) == envelope)
    }
}
