/// One member of a group as an announcement lists it: the user id and the certificate fingerprint
/// the announcing member knows for it (its own, or the one pinned when they became friends).
public struct GroupMember: Sendable, Hashable, Codable {
    public var id: String
    /// 64 lowercase hex digits.
    public var fingerprint: String

    public init(id: String, fingerprint: String) {
        self.id = id
        self.fingerprint = fingerprint
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case fingerprint = "Fingerprint"
    }

    var isValid: Bool {
        UserName.isValid(id) && fingerprint.utf8.count == 64
            && fingerprint.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
