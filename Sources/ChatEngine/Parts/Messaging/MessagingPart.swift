import ChatWire
import Foundation
import Logging
import NIOCore

/// Direct messages: the outbox, sending, acks, and what arrives.
///
/// Every `Msg` is written to the outbox before it is sent and leaves it only when the receiver's
/// `Ack` (sent after the receiver stored it) arrives; receivers de-duplicate on (sender, `Id`).
actor MessagingPart: EnginePart {
    static let envelopeTypes: [EnvelopeType] = [.message, .ack]

    unowned let core: ChatEngine
    private var store: ChatStore { core.store }
    private var logger: Logger { core.logger }

    /// `send` calls waiting for their message's `Ack`, by message id: true when it came.
    private let ackWaiters = Waiters<String, Bool>()
    /// `drain` calls waiting until nothing is on its way to a connected peer.
    private let drainWaiters = Waiters<Int, Void>()
    /// Outbox entries already written on a connection (by connection id), not to be written again on it.
    private var sentOn: [Int: Set<String>] = [:]
    /// The running flush of each peer, owned here and cancelled when the session ends.
    private var flushes: [String: Task<Void, Never>] = [:]
    /// Peers asked to flush while their flush was running: it goes round once more.
    private var flushAgain: Set<String> = []

    init(core: ChatEngine) {
        self.core = core
    }

    // MARK: Sending

    /// Stores `text` for `peer` and sends it; returns once it is acked, or after `ackWait` as queued.
    func send(_ text: String, to peer: String) async throws -> (id: String, delivery: ChatEngine.Delivery) {
        let envelope = Envelope(type: .message, source: core.user, target: peer, data: text)
        let message = StoredMessage.outgoing(id: envelope.id, from: core.user, to: peer, body: text, sentAt: envelope.time)
        try await store.enqueueOutgoing(message: message, payload: Data(try envelope.encoded().readableBytesView))
        requestFlush(peer)
        // Whichever comes first, the ack or the end of `ackWait`; the loser is cancelled.
        let acked = await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.ackWaiters.wait(for: envelope.id, cancelled: false) }
            group.addTask {
                try? await Task.sleep(for: self.core.configuration.ackWait)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        return (envelope.id, acked ? .delivered : .queued)
    }

    /// Starts writing `peer`'s queued messages, or makes the running flush go round once more.
    func requestFlush(_ peer: String) {
        guard flushes[peer] == nil else {
            flushAgain.insert(peer)
            return
        }
        flushes[peer] = Task {
            await self.flush(peer)
            self.flushes[peer] = nil
        }
    }

    /// Writes `peer`'s queued frames again, also those the current connection carried already: the
    /// peer dropped some it could not place yet (group text that came before its group).
    func resend(to peer: String) async {
        if let connection = await core.existingConnection(to: peer) { sentOn[connection.id] = nil }
        requestFlush(peer)
    }

    /// Writes `peer`'s queued messages on a connection to it, oldest first, skipping what this
    /// connection already carried. Runs in the peer's flush task (`requestFlush`).
    private func flush(_ peer: String) async {
        repeat {
            flushAgain.remove(peer)
            guard !Task.isCancelled, let entries = try? await store.pendingOutbox(for: peer), !entries.isEmpty else { return }
            guard let connection = try? await core.reach(peer) else { return }
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

    // MARK: Receiving

    func received(_ envelope: Envelope, on connection: PeerConnection) async throws {
        switch envelope.type {
        case .message: try await receiveMessage(envelope, on: connection)
        case .ack: try await receiveAck(envelope)
        default: break
        }
    }

    private func receiveMessage(_ envelope: Envelope, on connection: PeerConnection) async throws {
        guard try await store.contact(id: envelope.source) != nil else {
            logger.notice("dropped a message from someone who is not a friend", metadata: ["peer": "\(envelope.source)"])
            return
        }
        let message = StoredMessage.incoming(
            id: envelope.id, from: envelope.source, to: core.user, body: envelope.data ?? "", sentAt: envelope.time)
        if try await store.insertIncoming(message) {
            core.emit(.message(message))
        }
        // Acked only once stored (again, for a duplicate whose first ack was lost).
        try await connection.send(Envelope(type: .ack, source: core.user, target: envelope.source, data: envelope.id))
    }

    private func receiveAck(_ envelope: Envelope) async throws {
        guard let id = envelope.data else { return }
        let acknowledged = try await store.acknowledge(messageId: id, peer: envelope.source)
        // Each delivery is told once: as the result of the `send` still waiting for it, or else
        // (the message was queued, perhaps in an earlier session) as an event.
        if ackWaiters.resume(id, with: true) == 0, acknowledged {
            core.emit(.delivered(to: envelope.source, id: id))
        }
        wakeDrainers()
    }

    // MARK: Engine events

    func watchedUsers() async throws -> Set<String> {
        Set(try await store.pendingPeers())
    }

    func peerConnected(_ connection: PeerConnection) async {
        requestFlush(connection.peer)
    }

    func peerDisconnected(_ connection: PeerConnection) async {
        sentOn[connection.id] = nil
        wakeDrainers()
    }

    func peerOnline(_ peer: String) async {
        requestFlush(peer)
    }

    func retry() async {
        for peer in (try? await store.pendingPeers()) ?? [] { requestFlush(peer) }
    }

    func sessionEnded() async {
        let running = flushes.values
        for flush in running { flush.cancel() }
        for flush in running { await flush.value }
        flushes = [:]
        flushAgain = []
        sentOn = [:]
        ackWaiters.resumeAll(with: false)
        drainWaiters.resumeAll(with: ())
    }

    // MARK: Draining

    /// Whether some queued message is on its way to a peer we are connected to.
    private func isWaitingForConnectedPeer() async -> Bool {
        for peer in (try? await store.pendingPeers()) ?? [] where await core.existingConnection(to: peer) != nil {
            return true
        }
        return false
    }

    /// Lets `waitUntilDrained` callers look again: something they wait for may have changed.
    private func wakeDrainers() {
        drainWaiters.resume(0, with: ())
    }

    /// Returns once nothing queued is still on its way to a connected peer, looking again after
    /// each ack or disconnection (not by polling), or when the caller is cancelled.
    func waitUntilDrained() async {
        while !Task.isCancelled {
            let generation = drainWaiters.generation
            guard await isWaitingForConnectedPeer() else { return }
            await drainWaiters.wait(for: 0, cancelled: (), unlessResumedSince: generation)
        }
    }
}
