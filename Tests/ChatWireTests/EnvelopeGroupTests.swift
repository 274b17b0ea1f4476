import ChatWire
import Foundation
import NIOCore
import Testing

@Suite("Envelope: group fields")
struct EnvelopeGroupTests {
    static let groupID = String(repeating: "3f", count: 16)
    static let alice = GroupMember(id: "alice", fingerprint: String(repeating: "ab", count: 32))
    static let bob = GroupMember(id: "bob", fingerprint: String(repeating: "cd", count: 32))

    private func announcement(_ header: GroupHeader, name: String? = "team") -> Envelope {
        Envelope(type: .group, source: "alice", target: "bob", time: EnvelopeTests.time, id: "g-1", data: "Group Create", groupName: name, group: header)
    }

    private func valid() -> GroupHeader {
        GroupHeader(id: Self.groupID, operation: .announce, version: 1, owner: "alice", members: [Self.alice, Self.bob])
    }

    private func roundTrip(_ envelope: Envelope) throws -> Envelope {
        try Envelope.decode(from: try envelope.encoded())
    }

    @Test("an announcement, group text and a version report survive the wire")
    func roundTrips() throws {
        let announce = announcement(valid())
        #expect(try roundTrip(announce) == announce)
        let text = Envelope(type: .group, source: "bob", target: "alice", time: EnvelopeTests.time, data: "hi", group: GroupHeader(id: Self.groupID, sequence: 3))
        #expect(try roundTrip(text) == text)
        let have = Envelope(type: .group, source: "bob", target: "alice", time: EnvelopeTests.time, group: GroupHeader(id: Self.groupID, operation: .missing, version: 0))
        #expect(try roundTrip(have) == have)
    }

    @Test("hostile group fields are refused, each naming its field")
    func refusesHostileFields() throws {
        var cases: [(Envelope, String)] = []
        var header = valid()
        header.id = "not-hex"
        cases.append((announcement(header), "GroupId"))
        header = valid()
        header.owner = "mallory"
        cases.append((announcement(header), "GroupOwner"))
        header = valid()
        header.members = [Self.alice, Self.alice]
        cases.append((announcement(header), "Members"))
        header = valid()
        header.members = [Self.alice, GroupMember(id: "bob", fingerprint: "short")]
        cases.append((announcement(header), "Members"))
        header = valid()
        header.members = (0...GroupHeader.maxMembers).map { GroupMember(id: "u\($0)", fingerprint: Self.alice.fingerprint) }
        header.owner = "u0"
        cases.append((announcement(header), "Members"))
        header = valid()
        header.version = 0
        cases.append((announcement(header), "GroupVersion"))
        cases.append((announcement(valid(), name: "has space"), "GROUPNAME"))
        cases.append((Envelope(type: .group, source: "bob", target: "alice", data: "hi", group: GroupHeader(id: Self.groupID)), "GroupSeq"))
        cases.append((Envelope(type: .group, source: "bob", target: "alice", group: GroupHeader(id: Self.groupID, sequence: 1)), "Data"))
        cases.append((Envelope(type: .group, source: "bob", target: "alice", data: "x", group: GroupHeader(id: Self.groupID, sequence: -1)), "GroupSeq"))
        cases.append((Envelope(type: .group, source: "bob", target: "alice", group: GroupHeader(id: Self.groupID, operation: .have)), "GroupVersion"))
        for (envelope, field) in cases {
            #expect(throws: EnvelopeError.invalidField(field)) { _ = try roundTrip(envelope) }
        }
    }

    static let signature = GroupSignature(
        signer: "alice", publicKey: Data(repeating: 7, count: 91).base64EncodedString(),
        value: Data(repeating: 9, count: 64).base64EncodedString())

    @Test("a signed announcement survives the wire with its three signature fields")
    func signedRoundTrip() throws {
        var header = valid()
        header.signature = Self.signature
        let announce = announcement(header)
        #expect(try roundTrip(announce) == announce)
        let json = String(decoding: try JSONEncoder().encode(announce), as: UTF8.self)
        for field in ["\"GroupSigner\":\"alice\"", "\"GroupSignerKey\":", "\"GroupSig\":"] { #expect(json.contains(field)) }
    }

    @Test("hostile signature fields are refused as GroupSig")
    func refusesHostileSignatures() throws {
        let key = Self.signature.publicKey
        let value = Self.signature.value
        let hostile: [GroupSignature] = [
            GroupSignature(signer: "", publicKey: key, value: value),
            GroupSignature(signer: "has space", publicKey: key, value: value),
            GroupSignature(signer: "alice", publicKey: "", value: value),
            GroupSignature(signer: "alice", publicKey: "not base64!", value: value),
            GroupSignature(signer: "alice", publicKey: Data(repeating: 1, count: 4096).base64EncodedString(), value: value),
            GroupSignature(signer: "alice", publicKey: key, value: Data(repeating: 9, count: 63).base64EncodedString()),
            GroupSignature(signer: "alice", publicKey: key, value: Data(repeating: 9, count: 72).base64EncodedString()),
            GroupSignature(signer: "alice", publicKey: key, value: ""),
        ]
        for signature in hostile {
            var header = valid()
            header.signature = signature
            #expect(throws: EnvelopeError.invalidField("GroupSig")) { _ = try roundTrip(announcement(header)) }
        }
        // Only one or two of the three fields.
        let partial = #"{"Type":"GROUP","Source":"alice","Target":"bob","Time":"2026-01-01T00:00:00Z","Id":"1","GROUPNAME":"t","GroupId":"\#(Self.groupID)","GroupOp":"announce","GroupVersion":1,"GroupOwner":"alice","Members":[{"Id":"alice","Fingerprint":"\#(Self.alice.fingerprint)"}],"GroupSig":"\#(value)"}"#
        #expect(throws: EnvelopeError.invalidField("GroupSig")) { _ = try Envelope.decode(from: ByteBuffer(string: partial)) }
        let wrongType = #"{"Type":"GROUP","Source":"alice","Target":"bob","Time":"2026-01-01T00:00:00Z","Id":"1","GroupId":"\#(Self.groupID)","GroupOp":"have","GroupVersion":1,"GroupSigner":"alice","GroupSignerKey":"\#(key)","GroupSig":"\#(value)"}"#
        #expect(throws: EnvelopeError.invalidField("GroupSig")) { _ = try Envelope.decode(from: ByteBuffer(string: wrongType)) }
        let notAString = #"{"Type":"GROUP","Source":"alice","Target":"bob","Time":"2026-01-01T00:00:00Z","Id":"1","GroupId":"\#(Self.groupID)","GroupOp":"announce","GroupSig":7}"#
        #expect(throws: EnvelopeError.self) { _ = try Envelope.decode(from: ByteBuffer(string: notAString)) }
    }

    @Test("the signed content tells apart every field, and does not depend on the signature")
    func signedContentCoversEveryField() {
        let content = { (name: String, version: Int64, owner: String?, members: [GroupMember]) in
            GroupHeader.signedContent(id: Self.groupID, name: name, version: version, owner: owner, members: members)
        }
        let base = content("team", 2, "alice", [Self.alice, Self.bob])
        #expect(content("team", 2, "alice", [Self.alice, Self.bob]) == base)
        #expect(content("teams", 2, "alice", [Self.alice, Self.bob]) != base)
        #expect(content("team", 3, "alice", [Self.alice, Self.bob]) != base)
        #expect(content("team", 2, "bob", [Self.alice, Self.bob]) != base)
        #expect(content("team", 2, "alice", [Self.alice]) != base)
        #expect(content("team", 2, "alice", [Self.bob, Self.alice]) != base)
        #expect(content("team", 2, "alice", [Self.alice, GroupMember(id: "bob", fingerprint: Self.alice.fingerprint)]) != base)
    }

    @Test("an unknown GroupOp is refused as JSON that does not fit")
    func refusesUnknownOperation() {
        let text = #"{"Type":"GROUP","Source":"a","Target":"b","Time":"2026-01-01T00:00:00Z","Id":"1","GroupId":"\#(Self.groupID)","GroupOp":"takeover","GroupVersion":1}"#
        #expect(throws: EnvelopeError.self) { _ = try Envelope.decode(from: ByteBuffer(string: text)) }
    }
}
