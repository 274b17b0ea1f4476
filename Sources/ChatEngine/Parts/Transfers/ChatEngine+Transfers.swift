import ChatWire
import Foundation

extension ChatEngine {
    private var transfers: TransfersPart { parts.part(TransfersPart.self) }

    /// Offers the file at `path` to a friend. The returned transfer is `.offered`; `offered` is
    /// false when the friend is offline: the offer then goes when they are next online.
    public func sendFile(at path: String, to peer: String) async throws -> (transfer: FileTransfer, offered: Bool) {
        _ = try requireSession()
        guard UserName.isValid(peer) else { throw EngineError.invalidUser(peer) }
        guard peer != user else { throw EngineError.yourself }
        guard try await store.contact(id: peer) != nil else { throw FriendError.notFriend(peer) }
        return try await transfers.offer(path: path, to: peer)
    }

    /// Waits until transfer `number` is done, failed, cancelled or declined, or is paused (the
    /// friend went away), or (with `stopsAtWaiting`) waits for the friend to accept it; returns it
    /// as it is then.
    public func transferOutcome(_ number: Int, stopsAtWaiting: Bool = false) async throws -> FileTransfer {
        try await transfers.outcome(of: number, stopsAtWaiting: stopsAtWaiting)
    }

    /// Accepts offer `number` into `directory` (default: the downloads directory).
    @discardableResult
    public func acceptFile(_ number: Int, into directory: URL? = nil) async throws -> FileTransfer {
        try await transfers.accept(number, into: directory)
    }

    public func declineFile(_ number: Int) async throws {
        try await transfers.decline(number)
    }

    /// Stops a transfer from either end; the other side is told. A cancelled download's `.part` is removed.
    public func cancelFile(_ number: Int) async throws {
        try await transfers.cancel(number)
    }

    /// Every transfer, newest first, with the live byte count and speed of running ones.
    public func fileTransfers() async throws -> [FileTransfer] {
        try await transfers.list()
    }
}
