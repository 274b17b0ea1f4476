import ChatWire
import Foundation
import GRDB
import Logging
import NIOCore

/// Direct messages: the outbox, sending, acks, and what arrives.
///
/// Every `Msg` is written to the outbox before it is sent and leaves it only when the receiver's
/// `Ack` (sent after the receiver stored it) arrives; receivers de-duplicate on (sender, `Id`).
///
/// Durability is what costs: each commit is an fsync. So commits are shared:
/// - sends that arrive while an enqueue is being written share the next one (`GroupCommit`);
/// - messages that arrive while received ones are being stored are stored together, then each
///   is acked (`inbox`);
/// - acks are applied in batches, off the sender's critical path (`recording`).
/// The critical path of one message is two fsyncs: the sender's enqueue and the receiver's insert.
actor MessagingPart: EnginePart {
    static let envelopeTypes: [EnvelopeType] = [.message, .action, .ack, .nack, .edit, .delete]

    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        ChatStore.registerMessaging(in: &migrator)
        ChatStore.registerMessageActions(in: &migrator)
        ChatStore.registerMessageChanges(in: &migrator)
    }

    unowned let core: ChatEngine
    private var store: ChatStore { core.store }
    private var logger: Logger { core.logger }

    /// `send` calls waiting for their message's `Ack`, by message id: true when it came.
    private let ackWaiters = Waiters<String, Bool>()
    /// Ids whose `send` is still waiting for its ack; an ack for one of them is its answer, not an event.
    private var sending: Set<String> = []
    /// Acks received for sends in progress, kept until the send looks: an ack may come before its
    /// send gets to wait for it (the frame went out meanwhile).
    private var ackedWhileSending: Set<String> = []
    /// Group texts being sent: the members who acked each so far.
    private var groupAcks: [String: Set<String>] = [:]
    /// `drain` calls waiting until nothing is on its way to a connected peer.
    private let drainWaiters = Waiters<Int, Void>()
    /// Outbox entries already written on a connection (by connection id), not to be written again on it.
    private var sentOn: [Int: Set<String>] = [:]
    /// The login session's task tree, where flushes, storing and recording run. Nil between sessions.
    private var scope: SessionScope?
    /// The running flush of each peer, in the session's tree; cancelled when the session ends.
    private var flushes: [String: SessionWork] = [:]
    /// Peers asked to flush while their flush was running: it goes round once more.
    private var flushAgain: Set<String> = []
    /// Sends waiting to be stored, written together while one commit is under way.
    private let enqueues: GroupCommit<OutgoingMessage, Void>

    /// A received message and the connection it came on (where its ack goes).
    private typealias Arrival = (message: StoredMessage, connection: PeerConnection)
    /// Received messages not yet stored, oldest first; `storing` writes them in batches.
    private var inbox: [Arrival] = []
    private var storing: SessionWork?
    /// Delivery bookkeeping not yet written: attempts made, acks received (with whether a `send`
    /// was told of the ack already). `recording` writes them in batches.
    private var attemptsMade: [(messageId: String, peer: String)] = []
    private var acksReceived: [(messageId: String, peer: String, told: Bool)] = []
    /// Someone reads the store now: acks are recorded without the gathering window.
    private var settling = false
    private var recording: SessionWork?
    /// Per sender, the ids of received messages we could not store (a full disk) and refused with
    /// a `Nack`: until they are stored, that sender's later messages are refused too, so that
    /// each sender's order holds.
    private var refused: [String: Set<String>] = [:]
    /// Whether an edit or delete keeps the text it replaces (`/set keep-edits on`); off, the text is gone.
    var keepEdits = false
    /// Whether storing received messages is failing now: the user is told once, not on every retry.
    private var storeFailing = false
    /// Per peer that refused our messages, the wait before sending them again, doubling up to
    /// `refusalRetryCap`; and the retry waiting to run. Reset by an ack from that peer.
    private var refusalBackoff: [String: Duration] = [:]
    private var refusalRetries: [String: SessionWork] = [:]
    private static let refusalRetryFirst = Duration.milliseconds(500)
    /// The longest wait between tries: a receiver whose disk has room again has our messages within it.
    static let refusalRetryCap = Duration.seconds(8)
    /// How long acks gather before they are recorded together.
    private static let bookkeepingWindow = Duration.milliseconds(10)
    /// The most received messages held before the connection is made to wait (TCP back-pressure).
    private static let inboxLimit = 4096

    struct OutgoingMessage: Sendable {
        var message: StoredMessage
        var payload: Data
    }

    init(core: ChatEngine) {
        self.core = core
        let store = core.store
        enqueues = GroupCommit { batch in
            try await store.enqueueOutgoing(batch.map { ($0.message, $0.payload) })
        }
    }

    // MARK: Sending

    /// Stores `text` for `peer` (a reply to message `replyTo`, when given) and sends it; returns once
    /// it is acked, or after `ackWait` as queued.
    func send(
        _ text: String, to peer: String, action: Bool, replyTo: String? = nil
    ) async throws -> (id: String, delivery: ChatEngine.Delivery) {
        let envelope = Envelope(type: action ? .action : .message, source: core.user, target: peer, data: text, ref: replyTo)
        var message = StoredMessage.outgoing(
            id: envelope.id, from: core.user, to: peer, body: text, sentAt: envelope.time, isAction: action)
        message.replyTo = replyTo
        let payload = Data(try envelope.encoded().readableBytesView)
        let delivery = try await deliver(envelope.id, to: peer) {
            try await self.enqueues.submit(OutgoingMessage(message: message, payload: payload))
        }
        return (envelope.id, delivery)
    }

    /// Applies this user's change of their message to `peer` and sends it as a message is sent.
    func sendChange(_ change: MessageChange, to peer: String) async throws -> (message: StoredMessage, delivery: ChatEngine.Delivery) {
        let envelope = Envelope(
            type: change.kind == .edit ? .edit : .delete, source: core.user, target: peer, time: change.sentAt, id: change.id,
            data: change.text, ref: change.target)
        let payload = Data(try envelope.encoded().readableBytesView)
        let (store, keep) = (store, keepEdits)
        var changed: StoredMessage?
        let delivery = try await deliver(change.id, to: peer) {
            changed = try await store.enqueueChange(change, for: peer, keepOriginal: keep, payload: payload)
        }
        guard let changed else { throw ChatStore.Error.invalidMessage(id: change.target, reason: "not stored") }
        return (changed, delivery)
    }

    /// Stores a frame for `peer` with `enqueue` and sends it; returns once it is acked, or after
    /// `ackWait` (at once when `peer` is offline) as queued.
    private func deliver(_ id: String, to peer: String, enqueue: () async throws -> Void) async throws -> ChatEngine.Delivery {
        // Marked before it is stored: from the commit on, another send's flush may carry it and
        // its ack may come before this call resumes.
        sending.insert(id)
        defer {
            sending.remove(id)
            ackedWhileSending.remove(id)
        }
        try await enqueue()
        requestFlush(peer)
        // Stored, and nobody to send it to yet: no point waiting for an ack.
        if await core.isKnownOffline(peer) { return .queued }
        // Whichever comes first, the ack or the end of `ackWait`; the loser is cancelled.
        let acked = await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.waitForAck(id) }
            group.addTask {
                try? await Task.sleep(for: self.core.configuration.parts.messaging.ackWait)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        return acked ? .delivered : .queued
    }

    /// Stores a group text with `enqueue` (which returns the members it is queued for), sends it, and
    /// waits at most `ackWait` until every one of them not known to be offline acked it. Returns the
    /// members and those who acked.
    func sendGroupText(
        _ id: String, enqueue: @Sendable () async throws -> [String]
    ) async throws -> (queuedFor: [String], ackedBy: Set<String>) {
        // As for `send`: from the commit on, an ack may come before the wait starts.
        sending.insert(id)
        groupAcks[id] = []
        defer {
            sending.remove(id)
            ackedWhileSending.remove(id)
            groupAcks[id] = nil
        }
        let peers = try await enqueue()
        for peer in peers { requestFlush(peer) }
        var online: Set<String> = []
        for peer in peers where await !core.isKnownOffline(peer) { online.insert(peer) }
        let expected = online
        if !expected.isEmpty {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.waitForGroupAcks(id, from: expected) }
                group.addTask { try? await Task.sleep(for: self.core.configuration.parts.messaging.ackWait) }
                await group.next()
                group.cancelAll()
            }
        }
        return (peers, groupAcks[id] ?? [])
    }

    private func waitForGroupAcks(_ id: String, from peers: Set<String>) async {
        while !Task.isCancelled {
            let generation = ackWaiters.generation
            if peers.isSubset(of: groupAcks[id] ?? []) { return }
            _ = await ackWaiters.wait(for: id, cancelled: false, unlessResumedSince: generation)
        }
    }

    /// True once `id` is acked; false when the session ends or the caller gives up. The ack may
    /// come before the wait starts (it is then in `ackedWhileSending`), or between looking there and
    /// waiting: a wake-up of any waiter since the look makes it look again.
    private func waitForAck(_ id: String) async -> Bool {
        while sending.contains(id), !Task.isCancelled {
            let generation = ackWaiters.generation
            if ackedWhileSending.contains(id) { return true }
            if await ackWaiters.wait(for: id, cancelled: false, unlessResumedSince: generation) { return true }
        }
        return false
    }

    /// Starts writing `peer`'s queued messages, or makes the running flush go round once more.
    /// Between sessions there is nobody to write to: the messages wait in the outbox.
    func requestFlush(_ peer: String) {
        if let running = flushes[peer], !running.isFinished {
            flushAgain.insert(peer)
            return
        }
        guard let scope else { return }
        flushes[peer] = scope.start { await self.runFlush(peer) }
    }

    private func runFlush(_ peer: String) async {
        await flush(peer)
        flushes[peer] = nil
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
            let unsent = entries.filter { !(sentOn[connection.id]?.contains($0.messageId) ?? false) }
            guard !unsent.isEmpty else { continue }
            // Marked before the write: a flush that runs meanwhile must not write them again.
            sentOn[connection.id, default: []].formUnion(unsent.map(\.messageId))
            do {
                try await connection.sendEncoded(unsent.map { ByteBuffer(bytes: $0.payload) })
            } catch {
                logger.debug("send failed; the messages stay queued", metadata: ["peer": "\(peer)", "error": "\(error)"])
                connection.close()
                return
            }
            record(attempts: unsent.map { ($0.messageId, peer) })
        } while flushAgain.contains(peer)
    }

    // MARK: Receiving

    func received(_ envelope: Envelope, on connection: PeerConnection) async throws {
        switch envelope.type {
        case .message, .action: try await receiveMessage(envelope, on: connection)
        case .ack: try await receiveAck(envelope)
        case .nack: receiveNack(envelope)
        case .edit, .delete: try await receiveChange(envelope, on: connection)
        default: break
        }
    }

    /// Queues the message to be stored with whatever else arrives meanwhile. Returns at once
    /// unless too much is waiting, so the connection goes on reading while a commit is written.
    private func receiveMessage(_ envelope: Envelope, on connection: PeerConnection) async throws {
        var message = StoredMessage.incoming(
            id: envelope.id, from: envelope.source, to: core.user, body: envelope.data ?? "", sentAt: envelope.time,
            isAction: envelope.type == .action)
        message.replyTo = envelope.ref
        guard let scope else { return }  // the session is over: not acked, so the sender sends it again
        inbox.append((message, connection))
        if storing?.isFinished ?? true {
            storing = scope.start { await self.storeInbox() }
        }
        while inbox.count > Self.inboxLimit, let storing, !storing.isFinished {
            await storing.finished()
        }
    }

    /// Stores the inbox in batches, in arrival order, then shows what is new and acks every
    /// message (again, for a duplicate whose first ack was lost) once it is on disk. What cannot be
    /// stored is refused with a `Nack`, and so is what would overtake it.
    private func storeInbox() async {
        while !inbox.isEmpty, !Task.isCancelled {
            let batch = inbox
            inbox = []
            var accepted: [Arrival] = []
            do {
                let friends = Set(try await store.contacts().map(\.id))
                accepted = batch.filter { friends.contains($0.message.sender) }
                for refused in batch where !friends.contains(refused.message.sender) {
                    logger.notice("dropped a message from someone who is not a friend", metadata: ["peer": "\(refused.message.sender)"])
                }
                let (ready, held) = inSendersOrder(accepted)
                let stored = ready.isEmpty ? [] : try await store.storeIncoming(ready.map(\.message))
                if storeFailing, !ready.isEmpty {
                    storeFailing = false
                    logger.notice("storing received messages works again")
                }
                for (message, _) in ready {
                    refused[message.sender]?.remove(message.id)
                    if refused[message.sender]?.isEmpty == true { refused[message.sender] = nil }
                }
                for case var message? in stored {
                    if let replyTo = message.replyTo { message.quote = try? await store.quote(of: replyTo, in: message.conversation) }
                    core.emit(.messaging(.message(message)))
                }
                // One write per connection for the whole batch's acks.
                for connection in Self.connections(of: ready) {
                    let acks = ready.filter { $0.connection === connection }.map { message, _ in
                        Envelope(type: .ack, source: core.user, target: message.sender, data: message.id)
                    }
                    try? await connection.send(acks)
                }
                await refuse(held)
            } catch {
                // Not stored, not acked: the senders keep the messages and send them again.
                if !storeFailing {
                    storeFailing = true
                    logger.error("could not store received messages", metadata: ["count": "\(batch.count)", "error": "\(error)"])
                    core.emit(.session(.error("could not store \(batch.count) received messages: \(error)")))
                } else {
                    logger.debug("still cannot store received messages", metadata: ["count": "\(batch.count)"])
                }
                await refuse(accepted)
            }
        }
        storing = nil
    }

    /// Returns once every message received so far is stored (or refused).
    func inboxStored() async {
        while let storing, !storing.isFinished { await storing.finished() }
    }

    /// Splits a batch into what may be stored now and what must wait: a sender's message waits
    /// while an earlier one of that sender was refused and has not come again before it.
    private func inSendersOrder(_ batch: [Arrival]) -> (ready: [Arrival], held: [Arrival]) {
        var missing = refused
        var ready: [Arrival] = []
        var held: [Arrival] = []
        for item in batch {
            let sender = item.message.sender
            guard let earlier = missing[sender], !earlier.isEmpty else {
                ready.append(item)
                continue
            }
            if earlier.contains(item.message.id) {
                missing[sender]?.remove(item.message.id)
                ready.append(item)
            } else {
                held.append(item)
            }
        }
        return (ready, held)
    }

    /// Tells each sender which of its messages were not stored (`Nack`), and remembers them so
    /// that nothing newer from that sender is stored before them.
    private func refuse(_ messages: [Arrival]) async {
        for (message, _) in messages { refused[message.sender, default: []].insert(message.id) }
        for connection in Self.connections(of: messages) {
            let nacks = messages.filter { $0.connection === connection }.map { message, _ in
                Envelope(type: .nack, source: core.user, target: message.sender, data: message.id)
            }
            try? await connection.send(nacks)
        }
    }

    /// The distinct connections of `batch`, in the order they first appear.
    private static func connections(of batch: [Arrival]) -> [PeerConnection] {
        var seen: Set<ObjectIdentifier> = []
        return batch.map(\.connection).filter { seen.insert(ObjectIdentifier($0)).inserted }
    }

    /// Tells the `send` waiting for this ack at once: the receiver has the message on disk. The
    /// outbox is updated in a later batch; if that is lost (a crash), the message is sent again
    /// and the receiver, which de-duplicates, just acks it again.
    private func receiveAck(_ envelope: Envelope) async throws {
        guard let id = envelope.data else { return }
        refusalBackoff[envelope.source] = nil
        let told = sending.contains(id)
        if told { ackedWhileSending.insert(id) }
        groupAcks[id]?.insert(envelope.source)
        ackWaiters.resume(id, with: true)
        acksReceived.append((id, envelope.source, told))
        startRecording()
    }

    /// The peer could not store a message of ours: everything queued for it goes again on the live
    /// connection, in order, after a wait that doubles with each refusal (up to
    /// `refusalRetryCap`), so a full disk is not hammered and a freed one is served soon.
    private func receiveNack(_ envelope: Envelope) {
        let peer = envelope.source
        guard refusalRetries[peer] == nil else { return }
        let wait = refusalBackoff[peer] ?? Self.refusalRetryFirst
        refusalBackoff[peer] = min(wait * 2, Self.refusalRetryCap)
        logger.debug("a message was refused; sending again later", metadata: ["peer": "\(peer)", "wait": "\(wait)"])
        refusalRetries[peer] = scope?.start {
            try? await Task.sleep(for: wait)
            guard !Task.isCancelled else { return }
            await self.retryRefused(peer)
        }
    }

    private func retryRefused(_ peer: String) async {
        refusalRetries[peer] = nil
        await resend(to: peer)
    }

    /// Attempts are only counted (nothing depends on them), so they wait for the next batch of
    /// acks, or the end of the session, instead of costing a commit of their own.
    private func record(attempts: [(messageId: String, peer: String)]) {
        attemptsMade += attempts
    }

    private func startRecording() {
        if recording?.isFinished ?? true {
            recording = scope?.start { await self.recordDeliveries() }
        }
    }

    /// Writes attempts and acks in batches. A delivery nobody was told of (the message was queued,
    /// perhaps in an earlier session) is an event once its ack is recorded.
    private func recordDeliveries() async {
        while !acksReceived.isEmpty, !Task.isCancelled {
            // Nobody waits on this write (the sends were answered when their acks came), so it
            // lets a few milliseconds of acks gather: under load one commit records hundreds, and
            // the disk's commits go to the critical path instead (enqueues, receipts).
            if !settling { try? await Task.sleep(for: Self.bookkeepingWindow) }
            let attempts = attemptsMade, acks = acksReceived
            attemptsMade = []
            acksReceived = []
            do {
                let dropped = try await store.recordDelivery(attempts: attempts, acks: acks.map { ($0.messageId, $0.peer) })
                for (ack, wasQueued) in zip(acks, dropped) where wasQueued && !ack.told {
                    core.emit(.messaging(.delivered(to: ack.peer, id: ack.messageId)))
                }
            } catch {
                logger.error("could not record deliveries; the messages will be sent again", metadata: ["error": "\(error)"])
            }
            wakeDrainers()
        }
        recording = nil
    }

    /// Records the acks received so far now, without the gathering window: called before the
    /// store is read for the user (history, the queue), so that it agrees with what `send` said.
    func settleDeliveries() async {
        settling = true
        defer { settling = false }
        if !acksReceived.isEmpty { startRecording() }
        await recording?.finished()
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

    func sessionStarted(_ scope: SessionScope) async {
        self.scope = scope
    }

    func sessionEnded() async {
        for retry in refusalRetries.values { retry.cancel() }
        refusalRetries = [:]
        refusalBackoff = [:]
        refused = [:]
        storeFailing = false
        let running = Array(flushes.values)
        for flush in running { flush.cancel() }
        for flush in running { await flush.finished() }
        flushes = [:]
        // What arrived is stored and acked, and acks and attempts are recorded, before the session ends.
        await storing?.finished()
        await recording?.finished()
        storing = nil
        recording = nil
        scope = nil
        if !attemptsMade.isEmpty {
            _ = try? await store.recordDelivery(attempts: attemptsMade, acks: [])
            attemptsMade = []
        }
        flushAgain = []
        sentOn = [:]
        sending = []
        ackedWhileSending = []
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
