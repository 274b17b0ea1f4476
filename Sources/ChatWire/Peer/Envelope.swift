import Foundation
import NIOCore

/// The JSON body of a kind-0 peer frame, with the original system's field names.
///
/// ```json
/// {"Type":"Msg","Source":"alice","Target":"bob","Time":"2026-11-27T10:00:00.000Z","Id":"…","Data":"hi"}
/// ```
public struct Envelope: Sendable, Hashable {
    public var type: EnvelopeType
    public var source: String
    public var target: String
    public var time: Date
    /// Unique per sender; receivers de-duplicate on (`Source`, `Id`).
    public var id: String
    /// The text of a message, or a type-specific value (the acknowledged `Id` of an `Ack`).
    public var data: String?
    public var fileSize: Int64?
    public var groupName: String?
    /// A file transfer's id, the same in every envelope about that transfer (`Id` is per envelope).
    public var transfer: String?
    /// The SHA-256 of a whole file, 64 lowercase hex digits.
    public var sha256: String?
    /// Where a transfer resumes: the bytes the receiver already holds.
    public var offset: Int64?
    /// The kind-1 stream id the receiver opened for a transfer's bytes.
    public var stream: UInt32?
    /// Present on `GROUP` envelopes only.
    public var group: GroupHeader?
    /// A call offer's or answer's UDP port for the media.
    public var mediaPort: Int?
    /// A call offer's or answer's fresh 256-bit media key, base64.
    public var mediaKey: String?
    /// A call offer's or answer's UDP candidates for the media (`PeerCandidate` words: `lan:`,
    /// `direct:` for the address a STUN Binding saw, `relayed:` for a TURN UDP allocation). A
    /// peer that sends none gets its media at the connection's address and `Port`, as before.
    public var mediaCandidates: [String]?
    /// The `Id` of the message this one is about: the one an `Edit` or `Delete` changes, or the one a
    /// `Msg` (or group text) replies to. Always a message of the same conversation.
    public var ref: String?

    public init(
        type: EnvelopeType, source: String, target: String, time: Date = Date(), id: String = Envelope.newID(),
        data: String? = nil, fileSize: Int64? = nil, groupName: String? = nil, transfer: String? = nil,
        sha256: String? = nil, offset: Int64? = nil, stream: UInt32? = nil, group: GroupHeader? = nil,
        mediaPort: Int? = nil, mediaKey: String? = nil, mediaCandidates: [String]? = nil, ref: String? = nil
    ) {
        self.type = type
        self.source = source
        self.target = target
        self.time = time
        self.id = id
        self.data = data
        self.fileSize = fileSize
        self.groupName = groupName
        self.transfer = transfer
        self.sha256 = sha256
        self.offset = offset
        self.stream = stream
        self.group = group
        self.mediaPort = mediaPort
        self.mediaKey = mediaKey
        self.mediaCandidates = mediaCandidates
        self.ref = ref
    }

    /// A fresh message id: a random UUID, unique without coordination.
    public static func newID() -> String {
        UUID().uuidString.lowercased()
    }
}

/// The `Type` field: an open set, so that an unknown type from a newer peer still decodes and can
/// be logged and dropped by name.
public struct EnvelopeType: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// The first frame each way on a new peer connection: who I claim to be, checked against my certificate.
    public static let hello = EnvelopeType(rawValue: "Hello")
    /// Hole punching over a relayed connection (libp2p's DCUtR): `Data` is `connect` and the
    /// sender's addresses as the locator sees them, `sync` (dial now), or `switch` (the sender's
    /// last frame on this connection: it moved to the punched one). Never stored or acked.
    public static let punch = EnvelopeType(rawValue: "Punch")
    public static let message = EnvelopeType(rawValue: "Msg")
    /// `/me waves`: delivered like `Msg` (stored, acked, de-duplicated), shown as an action.
    public static let action = EnvelopeType(rawValue: "Action")
    /// The sender's away reason in `Data`, or back (no `Data`); told to friends, not the locator.
    public static let away = EnvelopeType(rawValue: "Away")
    public static let ack = EnvelopeType(rawValue: "Ack")
    /// The receiver could not store the message whose `Id` is in `Data` (its disk is full): the
    /// sender keeps it and sends it again on the same connection, later, before anything newer.
    public static let nack = EnvelopeType(rawValue: "Nack")
    public static let friendRequest = EnvelopeType(rawValue: "AddFriendRequest")
    public static let friendAccept = EnvelopeType(rawValue: "FriendAccept")
    public static let friendRemove = EnvelopeType(rawValue: "FriendRemove")
    public static let group = EnvelopeType(rawValue: "GROUP")
    /// A file offer: the name in `Data`, `FileSize`, `Transfer` (and `Sha256` when already known).
    public static let file = EnvelopeType(rawValue: "FILE")
    /// The receiver takes a file: send from `Offset` on stream `Stream`.
    public static let fileAccept = EnvelopeType(rawValue: "FileAccept")
    /// The receiver keeps the offer for its user to accept later.
    public static let filePending = EnvelopeType(rawValue: "FilePending")
    /// The receiver does not want the file.
    public static let fileDecline = EnvelopeType(rawValue: "FileDecline")
    /// Either side stops a transfer; `Data` says why.
    public static let fileCancel = EnvelopeType(rawValue: "FileCancel")
    /// The sender's last word after the bytes: the file's `Sha256`.
    public static let fileEnd = EnvelopeType(rawValue: "FileEnd")
    /// The receiver verified the hash and keeps the file.
    public static let fileDone = EnvelopeType(rawValue: "FileDone")
    /// A call offer: `Data` is the caller's IP address (as in the original system), with the
    /// caller's media port and key.
    public static let audio = EnvelopeType(rawValue: "AUDIO")
    /// The callee picked up: `Data` is the offer's `Id`, with the callee's media port and key.
    public static let audioAnswer = EnvelopeType(rawValue: "AudioAnswer")
    /// The callee declined the offer whose `Id` is in `Data`.
    public static let audioReject = EnvelopeType(rawValue: "AudioReject")
    /// The callee is in another call; `Data` is the offer's `Id`.
    public static let audioBusy = EnvelopeType(rawValue: "AudioBusy")
    /// Hangs up the call whose offer `Id` is in `Data`; the other side answers with its own `End`.
    public static let end = EnvelopeType(rawValue: "End")
    /// The sender changes the text of its own message `Ref` to `Data`. Delivered like `Msg` (outbox,
    /// `Ack`, de-duplicated on `Id`); with `GroupId` and `GroupSeq` it is about a group text, and
    /// counts in the sender's order of group texts to this member.
    public static let edit = EnvelopeType(rawValue: "Edit")
    /// The sender deletes its own message `Ref`; delivered as `Edit` is.
    public static let delete = EnvelopeType(rawValue: "Delete")
}
