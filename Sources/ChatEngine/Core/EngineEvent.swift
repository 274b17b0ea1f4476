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
    /// Declined or cancelled, by either side.
    case fileCancelled(FileTransfer, reason: String)
    /// Something went wrong that the user should know about; the engine carries on.
    case error(String)
    /// A peer presented a certificate that does not match the one pinned for it.
    case securityWarning(String)
}
