import ChatWire
import FuzzSupport
import NIOCore

/// A `GROUP` envelope whose fields after the fixed ones are the input, so that the fuzzer spends
/// its time on the group header (`GroupId`, `GroupOp`, `GroupVersion`, `GroupOwner`, `Members`,
/// `GroupSeq`, `GROUPNAME`) rather than on the envelope around it.
let prefix = Array(#"{"Type":"GROUP","Source":"alice","Target":"bob","Time":"2026-01-01T00:00:00Z","Id":"g-1","#.utf8)

/// Group header decoding on any fields: it never crashes, and a header it accepts keeps the rules
/// a receiver relies on (a well-formed id; an announcement's members unique, valid, at most
/// `maxMembers`, its owner one of them; text numbered), and survives encoding.
func fuzzGroupHeader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var payload = ByteBuffer(bytes: prefix)
    payload.writeBytes(UnsafeBufferPointer(start: data, count: size))
    guard let envelope = try? Envelope.decode(from: payload) else { return 0 }
    checkRoundTrip(envelope)
    // A repeated "Type" may make it another kind of envelope, whose group fields nobody reads.
    guard envelope.type == .group, let group = envelope.group else { return 0 }
    require(GroupHeader.isValidID(group.id), "a malformed group id was accepted")
    switch group.operation {
    case nil:
        require((group.sequence ?? 0) >= 1, "group text without a sequence number was accepted")
    case .announce:
        guard let members = group.members, let version = group.version, let name = envelope.groupName else {
            fatalError("an announcement without members, version or name was accepted")
        }
        require(version >= 1 && GroupHeader.isValidName(name), "an announcement's version or name is invalid")
        require(members.count <= GroupHeader.maxMembers, "too many members were accepted")
        require(Set(members.map(\.id)).count == members.count, "a member listed twice was accepted")
        require(members.allSatisfy { UserName.isValid($0.id) && PeerAddress.isFingerprint($0.fingerprint) }, "an invalid member was accepted")
        if let owner = group.owner {
            require(members.contains { $0.id == owner }, "an owner who is not a member was accepted")
        } else {
            require(members.isEmpty, "members without an owner were accepted")
        }
    case .have, .missing:
        require((group.version ?? -1) >= 0, "a version query without a version was accepted")
    }
    return 0
}
