/// What the transfers part tells the user about one file.
public enum TransferEvent: Sendable, Equatable {
    /// A friend offers a file: `state` is `.offered` when it waits for `/get`, `.receiving` when
    /// it was accepted by itself (under the auto-accept size).
    case offer(FileTransfer)
    /// Bytes through so far (`transfer.bytes`), at most twice a second per transfer.
    case progress(FileTransfer, bytesPerSecond: Double)
    /// Verified and in place: `transfer.path` and `transfer.sha256` are set.
    case received(FileTransfer)
    /// The receiver verified the hash and kept the file.
    case sent(FileTransfer)
    case failed(FileTransfer, reason: String)
    /// A resumed download did not match the sender's hash: it starts again from zero, once.
    case restarted(FileTransfer, reason: String)
    /// Declined or cancelled, by either side.
    case cancelled(FileTransfer, reason: String)
}
