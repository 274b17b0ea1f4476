import ChatWire
import Foundation
import Logging
import NIOCore

extension ChatEngine {
    public enum Delivery: String, Sendable {
        /// The receiver stored it and said so.
        case delivered
        /// In the outbox; it goes out when the receiver is reachable, also after restarts.
        case queued
    }

    /// Sends `text` to a friend. Returns once it is acknowledged, or (after `ackWait`) queued.
    @discardableResult
    public func send(_ text: String, to peer: String) async throws -> (id: String, delivery: Delivery) {
        _ = try requireSession()
        guard UserName.isValid(peer) else { throw EngineError.invalidUser(peer) }
        guard try await store.contact(id: peer) != nil else { throw EngineError.notFriend(peer) }
        guard !text.isEmpty else { throw EngineError.emptyMessage }
        guard text.utf8.count <= Limits.maxMessageText else { throw EngineError.messageTooLong(Limits.maxMessageText) }
        let envelope = Envelope(type: .message, source: user, target: peer, data: text)
        let message = StoredMessage.outgoing(id: envelope.id, from: user, to: peer, body: text, sentAt: envelope.time)
        try await store.enqueueOutgoing(message: message, payload: Data(try envelope.encoded().readableBytesView))
        let acked = await withCheckedContinuation { continuation in
            ackWaiters[envelope.id, default: []].append(continuation)
            Task { await self.flush(peer) }
            Task {
                try? await Task.sleep(for: configuration.ackWait)
                self.resumeAckWaiters(envelope.id, acked: false)
            }
        }
        return (envelope.id, acked ? .delivered : .queued)
    }

    private func resumeAckWaiters(_ id: String, acked: Bool) {
        for waiter in ackWaiters.removeValue(forKey: id) ?? [] { waiter.resume(returning: acked) }
    }

    /// Writes `peer`'s queued messages on a connection to it, oldest first. One flush per peer
    /// runs at a time; a request during it makes it go round once more.
    func flush(_ peer: String) async {
        guard !flushing.contains(peer) else {
            flushAgain.insert(peer)
            return
        }
        flushing.insert(peer)
        defer { flushing.remove(peer) }
        repeat {
            flushAgain.remove(peer)
            guard let entries = try? await store.pendingOutbox(for: peer), !entries.isEmpty else { return }
            guard let connection = try? await reach(peer) else { return }
            var written: [String] = []
            var failed = false
            for entry in entries where !(sentOn[connection.id]?.contains(entry.messageId) ?? false) {
                do {
                    try await connection.sendEncoded(ByteBuffer(bytes: entry.payload))
                    sentOn[connection.id, default: []].insert(entry.messageId)
                    written.append(entry.messageId)
                } catch {
                    logger.debug("send failed; the message stays queued", metadata: ["peer": "\(peer)", "error": "\(error)"])
                    connection.close()
                    failed = true
                    break
                }
            }
            _ = try? await store.recordAttempts(messageIds: written, peer: peer)
            if failed { return }
        } while flushAgain.contains(peer)
    }

    func receiveMessage(_ envelope: Envelope, on connection: PeerConnection) async throws {
        guard try await store.contact(id: envelope.source) != nil else {
            logger.notice("dropped a message from someone who is not a friend", metadata: ["peer": "\(envelope.source)"])
            return
        }
        let message = StoredMessage.incoming(
            id: envelope.id, from: envelope.source, to: user, body: envelope.data ?? "", sentAt: envelope.time)
        if try await store.insertIncoming(message) {
            emit(.message(message))
        }
        // Acked only once stored (again, for a duplicate whose first ack was lost).
        try await connection.send(Envelope(type: .ack, source: user, target: envelope.source, data: envelope.id))
    }

    func receiveAck(_ envelope: Envelope) async throws {
        guard let id = envelope.data else { return }
        let acknowledged = try await store.acknowledge(messageId: id, peer: envelope.source)
        // Each delivery is told once: as the result of the `send` still waiting for it, or else
        // (the message was queued, perhaps in an earlier session) as an event.
        if acknowledged, ackWaiters[id] == nil {
            emit(.delivered(to: envelope.source, id: id))
        }
        resumeAckWaiters(id, acked: true)
    }

    // MARK: History

    /// The last `limit` messages with `peer`, oldest first; marks them read.
    public func history(with peer: String, limit: Int = 20) async throws -> [StoredMessage] {
        let messages = try await store.history(with: peer, limit: limit)
        try await store.markRead(conversation: peer)
        return messages
    }

    public func search(_ text: String, limit: Int = 20) async throws -> [StoredMessage] {
        try await store.search(text, limit: limit)
    }
}
