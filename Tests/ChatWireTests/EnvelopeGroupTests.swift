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

    @Test("an unknown GroupOp is refused as JSON that does not fit")
    func refusesUnknownOperation() {
        let text = #"{"Type":"GROUP","Source":"a","Target":"b","Time":"2026-01-01T00:00:00Z","Id":"1","GroupId":"\#(Self.groupID)","GroupOp":"takeover","GroupVersion":1}"#
        #expect(throws: EnvelopeError.self) { _ = try Envelope.decode(from: ByteBuffer(string: text)) }
    }
}
