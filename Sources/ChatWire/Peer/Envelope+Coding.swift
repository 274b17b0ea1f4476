import Foundation
import NIOCore

extension Envelope: Codable {
    enum CodingKeys: String, CodingKey {
        case type = "Type"
        case source = "Source"
        case target = "Target"
        case time = "Time"
        case id = "Id"
        case data = "Data"
        case fileSize = "FileSize"
        case groupName = "GROUPNAME"
        case transfer = "Transfer"
        case sha256 = "Sha256"
        case offset = "Offset"
        case stream = "Stream"
        case groupID = "GroupId"
        case groupOperation = "GroupOp"
        case groupVersion = "GroupVersion"
        case groupOwner = "GroupOwner"
        case members = "Members"
        case groupSequence = "GroupSeq"
        case groupSigner = "GroupSigner"
        case groupSignerKey = "GroupSignerKey"
        case groupSignature = "GroupSig"
        case mediaPort = "Port"
        case mediaKey = "Key"
        case mediaCandidates = "Candidates"
        case ref = "Ref"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(EnvelopeType.self, forKey: .type)
        source = try container.decode(String.self, forKey: .source)
        target = try container.decode(String.self, forKey: .target)
        let timeText = try container.decode(String.self, forKey: .time)
        guard let time = EnvelopeTime.parse(timeText) else {
            throw DecodingError.dataCorruptedError(forKey: .time, in: container, debugDescription: "not an ISO 8601 time")
        }
        self.time = time
        id = try container.decode(String.self, forKey: .id)
        data = try container.decodeIfPresent(String.self, forKey: .data)
        fileSize = try container.decodeIfPresent(Int64.self, forKey: .fileSize)
        groupName = try container.decodeIfPresent(String.self, forKey: .groupName)
        transfer = try container.decodeIfPresent(String.self, forKey: .transfer)
        sha256 = try container.decodeIfPresent(String.self, forKey: .sha256)
        offset = try container.decodeIfPresent(Int64.self, forKey: .offset)
        stream = try container.decodeIfPresent(UInt32.self, forKey: .stream)
        if let groupID = try container.decodeIfPresent(String.self, forKey: .groupID) {
            group = GroupHeader(
                id: groupID,
                operation: try container.decodeIfPresent(GroupOperation.self, forKey: .groupOperation),
                version: try container.decodeIfPresent(Int64.self, forKey: .groupVersion),
                owner: try container.decodeIfPresent(String.self, forKey: .groupOwner),
                members: try container.decodeIfPresent([GroupMember].self, forKey: .members),
                sequence: try container.decodeIfPresent(Int64.self, forKey: .groupSequence),
                signature: try Self.decodeGroupSignature(from: container))
        }
        mediaPort = try container.decodeIfPresent(Int.self, forKey: .mediaPort)
        mediaKey = try container.decodeIfPresent(String.self, forKey: .mediaKey)
        mediaCandidates = try container.decodeIfPresent([String].self, forKey: .mediaCandidates)
        ref = try container.decodeIfPresent(String.self, forKey: .ref)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(source, forKey: .source)
        try container.encode(target, forKey: .target)
        try container.encode(EnvelopeTime.format(time), forKey: .time)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(data, forKey: .data)
        try container.encodeIfPresent(fileSize, forKey: .fileSize)
        try container.encodeIfPresent(groupName, forKey: .groupName)
        try container.encodeIfPresent(transfer, forKey: .transfer)
        try container.encodeIfPresent(sha256, forKey: .sha256)
        try container.encodeIfPresent(offset, forKey: .offset)
        try container.encodeIfPresent(stream, forKey: .stream)
        if let group {
            try container.encode(group.id, forKey: .groupID)
            try container.encodeIfPresent(group.operation, forKey: .groupOperation)
            try container.encodeIfPresent(group.version, forKey: .groupVersion)
            try container.encodeIfPresent(group.owner, forKey: .groupOwner)
            try container.encodeIfPresent(group.members, forKey: .members)
            try container.encodeIfPresent(group.sequence, forKey: .groupSequence)
            try container.encodeIfPresent(group.signature?.signer, forKey: .groupSigner)
            try container.encodeIfPresent(group.signature?.publicKey, forKey: .groupSignerKey)
            try container.encodeIfPresent(group.signature?.value, forKey: .groupSignature)
        }
        try container.encodeIfPresent(mediaPort, forKey: .mediaPort)
        try container.encodeIfPresent(mediaKey, forKey: .mediaKey)
        try container.encodeIfPresent(mediaCandidates, forKey: .mediaCandidates)
        try container.encodeIfPresent(ref, forKey: .ref)
    }

    /// The three signature fields come together or not at all; a partial set is refused in `validate`
    /// (kept here as a signature with an empty part, which never validates).
    private static func decodeGroupSignature(from container: KeyedDecodingContainer<CodingKeys>) throws -> GroupSignature? {
        let signer = try container.decodeIfPresent(String.self, forKey: .groupSigner)
        let key = try container.decodeIfPresent(String.self, forKey: .groupSignerKey)
        let value = try container.decodeIfPresent(String.self, forKey: .groupSignature)
        guard signer != nil || key != nil || value != nil else { return nil }
        return GroupSignature(signer: signer ?? "", publicKey: key ?? "", value: value ?? "")
    }

    /// The JSON bytes of a kind-0 frame.
    public func encoded() throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONEncoder().encode(self))
    }

    /// Parses and validates what a peer sent. Every rule a peer's envelope must follow is here.
    public static func decode(from payload: ByteBuffer) throws(EnvelopeError) -> Envelope {
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: Data(payload.readableBytesView))
        } catch {
            throw .invalidJSON(String(describing: error).prefix(200).description)
        }
        try envelope.validate()
        return envelope
    }

    public func validate() throws(EnvelopeError) {
        guard (1...64).contains(type.rawValue.utf8.count) else { throw .invalidField("Type") }
        guard UserName.isValid(source) else { throw .invalidField("Source") }
        guard UserName.isValid(target) else { throw .invalidField("Target") }
        guard Self.isToken(id) else { throw .invalidField("Id") }
        if let data, data.utf8.count > Limits.maxMessageText { throw .invalidField("Data") }
        if let fileSize, fileSize < 0 { throw .invalidField("FileSize") }
        if let groupName, groupName.utf8.count > 256 { throw .invalidField("GROUPNAME") }
        if [.message, .action, .ack, .nack].contains(type), data?.isEmpty ?? true { throw .invalidField("Data") }
        if type == .away, let data, data.utf8.count > Limits.maxAwayReason { throw .invalidField("Data") }
        if let transfer, !Self.isToken(transfer) { throw .invalidField("Transfer") }
        if let sha256, !Self.isSHA256(sha256) { throw .invalidField("Sha256") }
        if let offset, offset < 0 { throw .invalidField("Offset") }
        if Self.transferTypes.contains(type), transfer == nil { throw .invalidField("Transfer") }
        if type == .fileAccept, offset == nil || stream == nil { throw .invalidField(offset == nil ? "Offset" : "Stream") }
        if type == .fileEnd, sha256 == nil { throw .invalidField("Sha256") }
        if type == .group, let group { try validateGroup(group) }
        if type == .file, transfer != nil {
            // A transfer offer (an original-system `FILE` without `Transfer` is left to the part to refuse).
            guard fileSize != nil else { throw .invalidField("FileSize") }
            guard let data, FileName.sanitised(data) != nil else { throw .invalidField("Data") }
        }
        try validateCall()
        try validateReceipts()
        try validateChange()
    }

    /// `Ref` names a message; an `Edit` carries the new text, a `Delete` none; either, when it is
    /// about a group text, carries the group and the sender's count, as group text does.
    private func validateChange() throws(EnvelopeError) {
        if let ref, !Self.isToken(ref) { throw .invalidField("Ref") }
        guard type == .edit || type == .delete else { return }
        guard ref != nil else { throw .invalidField("Ref") }
        if type == .edit, data?.isEmpty ?? true { throw .invalidField("Data") }
        if type == .delete, data != nil { throw .invalidField("Data") }
        if let group {
            guard GroupHeader.isValidID(group.id) else { throw .invalidField("GroupId") }
            guard group.operation == nil, group.version == nil, group.owner == nil, group.members == nil, group.signature == nil
            else { throw .invalidField("GroupOp") }
            guard let sequence = group.sequence, sequence >= 1 else { throw .invalidField("GroupSeq") }
        }
    }

    /// A call offer or answer carries a usable port and a 32-byte key; every call envelope
    /// names its call (the offer carries the caller's IP address instead).
    private func validateCall() throws(EnvelopeError) {
        if let mediaPort, !(1...65535).contains(mediaPort) { throw .invalidField("Port") }
        if let mediaKey, Data(base64Encoded: mediaKey)?.count != 32 { throw .invalidField("Key") }
        if let mediaCandidates {
            guard mediaCandidates.count <= Self.maxMediaCandidates, mediaCandidates.allSatisfy({ PeerCandidate(word: $0) != nil })
            else { throw .invalidField("Candidates") }
        }
        guard [.audio, .audioAnswer, .audioReject, .audioBusy, .end].contains(type) else { return }
        guard let data, (1...128).contains(data.utf8.count) else { throw .invalidField("Data") }
        if type == .audio, (try? SocketAddress(ipAddress: data, port: 0)) == nil { throw .invalidField("Data") }
        if type == .audio || type == .audioAnswer {
            guard mediaPort != nil else { throw .invalidField("Port") }
            guard mediaKey != nil else { throw .invalidField("Key") }
        }
    }

    /// More UDP candidates than any machine has interfaces for is a peer making us probe a list.
    public static let maxMediaCandidates = 12

    /// The rules for each kind of `GROUP` envelope. A `GROUP` envelope without `GroupId` is the
    /// original system's and is left to the receiver, which ignores it.
    private func validateGroup(_ group: GroupHeader) throws(EnvelopeError) {
        guard GroupHeader.isValidID(group.id) else { throw .invalidField("GroupId") }
        if let version = group.version, version < (group.operation == .announce ? 1 : 0) { throw .invalidField("GroupVersion") }
        if let sequence = group.sequence, sequence < 1 { throw .invalidField("GroupSeq") }
        if let signature = group.signature {
            guard group.operation == .announce, signature.isValid else { throw .invalidField("GroupSig") }
        }
        switch group.operation {
        case nil:
            guard group.sequence != nil else { throw .invalidField("GroupSeq") }
            guard let data, !data.isEmpty else { throw .invalidField("Data") }
        case .announce:
            guard group.version != nil else { throw .invalidField("GroupVersion") }
            guard let groupName, GroupHeader.isValidName(groupName) else { throw .invalidField("GROUPNAME") }
            guard let members = group.members, members.count <= GroupHeader.maxMembers,
                members.allSatisfy(\.isValid), Set(members.map(\.id)).count == members.count
            else { throw .invalidField("Members") }
            // A group whose last member left has no owner and no members left to tell.
            if let owner = group.owner {
                guard members.contains(where: { $0.id == owner }) else { throw .invalidField("GroupOwner") }
            } else if !members.isEmpty {
                throw .invalidField("GroupOwner")
            }
        case .have, .missing:
            guard group.version != nil else { throw .invalidField("GroupVersion") }
        }
    }

    /// The types about one transfer, which must name it.
    private static let transferTypes: Set<EnvelopeType> = [.fileAccept, .filePending, .fileDecline, .fileCancel, .fileEnd, .fileDone]

    /// An id made of 1 to 128 printable ASCII characters without spaces.
    static func isToken(_ text: String) -> Bool {
        (1...128).contains(text.utf8.count) && text.utf8.allSatisfy { (0x21...0x7e).contains($0) }
    }

    /// 64 lowercase hex digits.
    public static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

/// Why a peer's envelope was dropped.
public enum EnvelopeError: Error, Hashable, CustomStringConvertible {
    case invalidJSON(String)
    case invalidField(String)

    public var description: String {
        switch self {
        case .invalidJSON(let detail): "envelope is not valid JSON: \(detail)"
        case .invalidField(let field): "envelope field '\(field)' is missing or invalid"
        }
    }
}

/// `Time` is ISO 8601 UTC; we write milliseconds and read with or without them.
///
/// A time is kept in whole milliseconds, so that an envelope read and written again says the same
/// time: most milliseconds (`.251`) have no exact binary form, the parsed value falls just below
/// them, and the formatter, which truncates, wrote the millisecond before.
enum EnvelopeTime {
    static func format(_ date: Date) -> String {
        // Half a millisecond on, so that the formatter's truncation rounds to the nearest.
        date.addingTimeInterval(0.0005).formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func parse(_ text: String) -> Date? {
        guard text.utf8.count <= 64 else { return nil }
        let date = (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text))
        return date.map { Date(timeIntervalSince1970: ($0.timeIntervalSince1970 * 1000).rounded() / 1000) }
    }
}
