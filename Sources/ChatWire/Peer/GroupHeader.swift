import Foundation

/// The group fields of a `GROUP` envelope, written flat into the envelope's JSON.
///
/// Group text carries `GroupId` and `GroupSeq` (the sender's count of group texts to this one
/// receiver, so the receiver keeps each sender's order and drops repeats); an announcement carries
/// `GroupOp` `announce`, `GroupVersion`, `GroupOwner` and `Members` (with the envelope's `GROUPNAME`);
/// `have` and `missing` carry `GroupVersion`. An announcement is signed (`signature`) by the owner,
/// or by the member whose leave it is.
public struct GroupHeader: Sendable, Hashable {
    /// 128 random bits as 32 lowercase hex digits: stable, unlike the display name.
    public var id: String
    public var operation: GroupOperation?
    public var version: Int64?
    public var owner: String?
    public var members: [GroupMember]?
    public var sequence: Int64?
    public var signature: GroupSignature?

    public init(
        id: String, operation: GroupOperation? = nil, version: Int64? = nil, owner: String? = nil,
        members: [GroupMember]? = nil, sequence: Int64? = nil, signature: GroupSignature? = nil
    ) {
        self.id = id
        self.operation = operation
        self.version = version
        self.owner = owner
        self.members = members
        self.sequence = sequence
        self.signature = signature
    }

    /// The most members a group may have; bounds what one announcement makes a receiver hold.
    public static let maxMembers = 256

    public static func isValidID(_ id: String) -> Bool {
        id.utf8.count == 32 && id.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// A group's display name follows the rules of a user id (no blanks, no `#` or `~`, which the
    /// shell uses to show and tell apart groups).
    public static func isValidName(_ name: String) -> Bool {
        UserName.isValid(name)
    }

    /// The bytes an announcement's signature covers: the group's id, name, version, owner and
    /// members with their fingerprints, one field a line. None of them may hold a line break or a
    /// blank (ids, names and fingerprints are checked), so no two groups share these bytes.
    public static func signedContent(
        id: String, name: String, version: Int64, owner: String?, members: [GroupMember]
    ) -> Data {
        var lines = ["p2pchat group announcement 1", id, name, String(version), owner ?? ""]
        lines += members.map { "\($0.id) \($0.fingerprint)" }
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }
}
