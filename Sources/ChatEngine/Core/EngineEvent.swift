import Foundation

/// Everything the engine tells its user, in one stream. The shell prints these (as text or JSON).
public enum EngineEvent: Sendable, Equatable {
    case loggedIn(user: String, registered: Bool)
    case loggedOut(user: String)
    /// The locator connection was lost (`connected == false`) or is back.
    case locator(connected: Bool, detail: String)
    case presence(user: String, online: Bool)
    case friendRequest(from: String, fingerprint: String)
    case friendAdded(id: String)
    case friendRemoved(id: String)
    case message(StoredMessage)
    case delivered(to: String, id: String)
    /// A friend went away (with their reason) or came back (`reason == nil`).
    case away(user: String, reason: String?)
    /// A friend offers a file: `state` is `.offered` when it waits for `/get`, `.receiving` when
    /// it was accepted by itself (under the auto-accept size).
    case fileOffer(FileTransfer)
    /// Bytes through so far (`transfer.bytes`), at most twice a second per transfer.
    case fileProgress(FileTransfer, bytesPerSecond: Double)
    /// Verified and in place: `transfer.path` and `transfer.sha256` are set.
    case fileReceived(FileTransfer)
    /// The receiver verified the hash and kept the file.
    case fileSent(FileTransfer)
    case fileFailed(FileTransfer, reason: String)
    /// A resumed download did not match the sender's hash: it starts again from zero, once.
    case fileRestarted(FileTransfer, reason: String)
    /// Declined or cancelled, by either side.
    case fileCancelled(FileTransfer, reason: String)
    /// This user is in a group new to them (made by them or by a friend). `group` is the shown `#name`.
    case groupCreated(group: String, owner: String, members: [String])
    case groupMessage(group: String, message: StoredMessage)
    case groupMemberJoined(group: String, member: String)
    /// `member` left or was removed; when it is this user, the group is no longer theirs.
    case groupMemberLeft(group: String, member: String)
    /// A newer version of a group's membership applies (after its joined and left events).
    case groupUpdated(group: String, owner: String, version: Int64)
    /// A friend is calling: `/answer` or `/reject`.
    case callIncoming(from: String)
    /// The call offer reached `peer`, whose side now rings.
    case callRinging(peer: String)
    /// The call is answered; audio flows both ways.
    case callStarted(peer: String)
    /// The call with `peer` is over (or never started); `duration` is the talking time.
    case callEnded(peer: String, reason: CallEndReason, duration: Duration)
    /// The figures of the call in progress, on request (`/call` during a call).
    case callStats(CallStatistics)
    /// Something went wrong that the user should know about; the engine carries on.
    case error(String)
    /// A peer presented a certificate that does not match the one pinned for it.
    case securityWarning(String)
}
