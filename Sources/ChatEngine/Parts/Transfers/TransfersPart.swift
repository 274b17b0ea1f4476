import CGlibcExtras
import ChatWire
import Crypto
import Foundation
import GRDB
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// File transfers: offers, kind-1 chunk streams with back-pressure, hashing, resume, verification.
///
/// The sender offers (`FILE`: name, size, transfer id); the receiver accepts with the bytes it
/// already holds (`FileAccept`: offset, and a fresh stream id) or keeps the offer for its user
/// (`FilePending`). The sender reads the file once, hashing as it reads (a resume hashes the
/// bytes before the offset, unless the hash is already known), sends the rest as chunks and then
/// `FileEnd` with the SHA-256; the receiver hashes as bytes arrive, renames `NAME.part` only when
/// the hashes match, and says `FileDone`. Unfinished transfers are in the database: whenever the
/// friend is reachable again the sender offers again, and the receiver answers with its offset.
actor TransfersPart: EnginePart {
    static let envelopeTypes: [EnvelopeType] = [
        .file, .fileAccept, .filePending, .fileDecline, .fileCancel, .fileEnd, .fileDone,
    ]

    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        ChatStore.registerTransfers(in: &migrator)
    }

    /// Bytes per kind-1 chunk (and per read of the file being sent).
    static let chunkSize = 512 * 1024
    /// Chunk buffers a sender takes in turn.
    static let sendBuffers = 8
    /// Bytes per read when hashing what is already on disk.
    static let readSize = 1 << 20

    unowned let core: ChatEngine
    private var store: ChatStore { core.store }
    private var logger: Logger { core.logger }

    private struct Sending {
        var connectionID: Int
        var token: Int
        /// The transmission, in the login session's tree.
        var work: SessionWork
    }

    /// The login session's task tree, where transmissions run. Nil between sessions.
    private var scope: SessionScope?
    /// Outgoing transfers being sent, by number.
    private var sending: [Int: Sending] = [:]
    private var nextToken = 0
    /// Incoming transfers being written, by number.
    private var receiving: [Int: IncomingFile] = [:]
    /// Offers made on each connection (by connection id), not repeated on it.
    private var offeredOn: [Int: Set<Int>] = [:]
    /// Bytes and speed of running transfers, for `/files`.
    private nonisolated let live = LiveProgress()
    /// `/file` callers waiting for the outcome of their transfer.
    private nonisolated let outcomes = Waiters<Int, Void>()

    init(core: ChatEngine) {
        self.core = core
        _ = Self.returnFreedChunks
    }

    /// Chunk buffers (512 KiB) come and go on several threads. glibc raises its mmap threshold
    /// after the first such buffer is freed and then keeps them in per-thread arenas, so memory
    /// grows with the size of a transfer; a fixed threshold gives every freed chunk back at once.
    private static let returnFreedChunks: Void = {
        _ = p2p_set_mmap_threshold(128 * 1024)
    }()

    // MARK: Commands

    func offer(path: String, to peer: String) async throws -> (FileTransfer, offered: Bool) {
        let source = URL(fileURLWithPath: path).standardizedFileURL
        let status: (size: Int64, modified: Int64, isRegular: Bool)
        do {
            let descriptor = try FileDescriptor.open(source.path, O_RDONLY)
            defer { descriptor.close() }
            status = try descriptor.status()
        } catch {
            throw TransferError.unusableFile(path, reason: error.description)
        }
        guard status.isRegular else { throw TransferError.unusableFile(path, reason: "it is not a regular file") }
        let name = FileName.sanitised(source.lastPathComponent) ?? "file"
        let transfer = try await store.insertTransfer(
            FileTransfer(
                number: 0, id: Envelope.newID(), peer: peer, direction: .outgoing, name: name, size: status.size,
                state: .offered, path: source.path),
            sourceModified: status.modified)
        await core.watch([peer])
        let offered = await sendOffer(transfer)
        return (transfer, offered)
    }

    /// Waits until the transfer is finished or interrupted, or (when `stopsAtWaiting`) waits for the friend's `/get`.
    func outcome(of number: Int, stopsAtWaiting: Bool) async throws -> FileTransfer {
        while true {
            let generation = outcomes.generation
            guard let transfer = try await store.transfer(number: number) else { throw TransferError.noTransfer(number) }
            if transfer.state.isFinal || (stopsAtWaiting && transfer.state == .waiting) || transfer.state == .paused
                || Task.isCancelled
            {
                return transfer
            }
            await outcomes.wait(for: number, cancelled: (), unlessResumedSince: generation)
        }
    }

    func accept(_ number: Int, into directory: URL?) async throws -> FileTransfer {
        guard let transfer = try await store.transfer(number: number), transfer.direction == .incoming else {
            throw TransferError.noTransfer(number)
        }
        guard transfer.state == .offered else { throw TransferError.wrongState(number, "is not an offer waiting for you") }
        // Offline: the sender offers again when it is back, and is answered with the bytes on disk.
        let connection = try? await core.reach(transfer.peer)
        return try await beginReceiving(transfer, into: directory ?? core.configuration.downloads, on: connection)
    }

    func decline(_ number: Int) async throws {
        guard let transfer = try await store.transfer(number: number), transfer.direction == .incoming else {
            throw TransferError.noTransfer(number)
        }
        guard transfer.state == .offered else { throw TransferError.wrongState(number, "is not an offer waiting for you") }
        await finish(transfer, as: .declined, reason: "declined")
        await tell(transfer, Envelope(type: .fileDecline, source: core.user, target: transfer.peer, transfer: transfer.id))
    }

    func cancel(_ number: Int) async throws {
        guard let transfer = try await store.transfer(number: number) else { throw TransferError.noTransfer(number) }
        guard !transfer.state.isFinal else { throw TransferError.wrongState(number, "is \(transfer.state.rawValue) already") }
        await stop(transfer, removingPart: true)
        await finish(transfer, as: .cancelled, reason: "cancelled")
        await tell(transfer, Envelope(type: .fileCancel, source: core.user, target: transfer.peer, transfer: transfer.id))
    }

    func list() async throws -> [FileTransfer] {
        let running = live.snapshot
        return try await store.transfers().map { transfer in
            var transfer = transfer
            if let progress = running[transfer.number], !transfer.state.isFinal {
                transfer.bytes = progress.bytes
                transfer.bytesPerSecond = progress.rate
            } else if transfer.direction == .incoming, transfer.state != .done, let part = transfer.partPath {
                // What the `.part` holds, also after a failure (it is kept): the count stored at
                // the last start may be far behind.
                transfer.bytes = (try? FileManager.default.attributesOfItem(atPath: part)[.size] as? Int64) ?? transfer.bytes
            }
            return transfer
        }
    }

    // MARK: Offering

    /// Offers `transfer` on a connection to its peer (dialing it), once per connection. Returns
    /// whether the offer went out.
    @discardableResult
    private func sendOffer(_ transfer: FileTransfer) async -> Bool {
        guard let connection = try? await core.reach(transfer.peer) else { return false }
        guard !(offeredOn[connection.id]?.contains(transfer.number) ?? false) else { return true }
        offeredOn[connection.id, default: []].insert(transfer.number)
        do {
            try await connection.send(
                Envelope(
                    type: .file, source: core.user, target: transfer.peer, data: transfer.name, fileSize: transfer.size,
                    transfer: transfer.id, sha256: transfer.sha256))
            return true
        } catch {
            offeredOn[connection.id]?.remove(transfer.number)
            return false
        }
    }

    /// Offers again what `peer` has not finished taking from us (after a drop or a restart).
    private func resumeOutgoing(to peer: String?) async {
        guard let unfinished = try? await store.unfinishedTransfers() else { return }
        for transfer in unfinished where transfer.direction == .outgoing && (peer == nil || transfer.peer == peer) {
            guard sending[transfer.number] == nil else { continue }
            await sendOffer(transfer)
        }
    }

    // MARK: Receiving envelopes

    func received(_ envelope: Envelope, on connection: PeerConnection) async throws {
        switch envelope.type {
        case .file: try await receiveOffer(envelope, on: connection)
        case .fileAccept: try await receiveAccept(envelope, on: connection)
        case .filePending: try await receivePending(envelope)
        case .fileDecline: try await receiveDecline(envelope)
        case .fileCancel: try await receiveCancel(envelope)
        case .fileEnd: try await receiveEnd(envelope, on: connection)
        case .fileDone: try await receiveDone(envelope)
        default: break
        }
    }

    private func receiveOffer(_ envelope: Envelope, on connection: PeerConnection) async throws {
        do {
            try await takeOffer(envelope, on: connection)
        } catch let error as ChatStore.Error {
            // Our store failed (a full disk): the sender is told, or its `/file` would wait forever.
            guard let id = envelope.transfer else { return }
            let problem = if case .diskFull = error { "the disk is full" } else { "\(error)" }
            // The sender shows it after this user's name: "bob: could not store it: the disk is full".
            let reason = "could not store it: \(problem)"
            logger.error("refused a file offer", metadata: ["peer": "\(envelope.source)", "error": "\(error)"])
            core.emit(.session(.error("refused \(envelope.data ?? "a file") from \(envelope.source): could not store it: \(problem)")))
            try await connection.send(Envelope(type: .fileCancel, source: core.user, target: envelope.source, data: reason, transfer: id))
        }
    }

    private func takeOffer(_ envelope: Envelope, on connection: PeerConnection) async throws {
        let peer = envelope.source
        guard let id = envelope.transfer, let size = envelope.fileSize, let name = envelope.data.flatMap(FileName.sanitised) else {
            logger.notice("dropped a FILE offer without a transfer id, size or name", metadata: ["peer": "\(peer)"])
            return
        }
        guard try await store.contact(id: peer) != nil else {
            logger.notice("refused a file from someone who is not a friend", metadata: ["peer": "\(peer)"])
            try await connection.send(
                Envelope(type: .fileCancel, source: core.user, target: peer, data: "\(core.user) takes files only from friends", transfer: id))
            return
        }
        if let known = try await store.transfer(id: id, peer: peer, direction: .incoming) {
            try await answerRepeatedOffer(known, on: connection)
            return
        }
        let limit = core.configuration.parts.transfers.autoAcceptLimit
        let transfer = try await store.insertTransfer(
            FileTransfer(number: 0, id: id, peer: peer, direction: .incoming, name: name, size: size, state: .offered))
        if limit > 0, size <= limit {
            var offered = transfer
            offered.state = .receiving
            core.emit(.transfers(.offer(offered)))
            _ = try await beginReceiving(transfer, into: core.configuration.downloads, on: connection)
        } else {
            core.emit(.transfers(.offer(transfer)))
            try await connection.send(Envelope(type: .filePending, source: core.user, target: peer, transfer: id))
        }
    }

    /// The sender offers a transfer we know: it lost the connection or restarted. Say where it stands.
    private func answerRepeatedOffer(_ known: FileTransfer, on connection: PeerConnection) async throws {
        let reply = Envelope(type: .filePending, source: core.user, target: known.peer, transfer: known.id)
        switch known.state {
        case .offered, .waiting, .sending:
            try await connection.send(reply)
        case .receiving, .paused:
            try await startReceiving(known, on: connection)
        case .done:
            try await connection.send(Envelope(type: .fileDone, source: core.user, target: known.peer, transfer: known.id, sha256: known.sha256))
        case .declined, .cancelled, .failed:
            if let closing = closingEnvelope(for: known) { try await connection.send(closing) }
        }
    }

    /// Picks where the file lands and starts taking it (or, with no connection, waits for the
    /// sender's next offer, which is answered with the bytes on disk).
    private func beginReceiving(_ transfer: FileTransfer, into directory: URL, on connection: PeerConnection?) async throws
        -> FileTransfer
    {
        let path: String
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            path = try await uniquePath(for: transfer.name, in: directory)
        } catch {
            let reason = "cannot use \(directory.path) for downloads: \(Self.describe(error))"
            await finish(transfer, as: .failed, reason: reason)
            await tell(transfer, Envelope(type: .fileCancel, source: core.user, target: transfer.peer, data: reason, transfer: transfer.id))
            throw TransferError.wrongState(transfer.number, "failed: \(reason)")
        }
        guard let (accepted, _) = try await store.updateTransfer(transfer.number, state: .paused, path: path) else {
            throw TransferError.noTransfer(transfer.number)
        }
        if let connection { try await startReceiving(accepted, on: connection) }
        return try await store.transfer(number: transfer.number) ?? accepted
    }

    /// Opens the `.part` (hashing what it holds) on a fresh stream and tells the sender where to go on from.
    private func startReceiving(_ transfer: FileTransfer, on connection: PeerConnection) async throws {
        guard let partPath = transfer.partPath else { return }
        closeReceiving(transfer.number)
        let streamID = UInt32.random(in: 1...UInt32.max)
        let number = transfer.number
        let live = live
        let core = core
        var running = transfer
        running.state = .receiving
        let incoming: IncomingFile
        do {
            incoming = try await IncomingFile.open(
                number: number, peer: transfer.peer, partPath: partPath, size: transfer.size, streamID: streamID,
                connectionID: connection.id,
                failed: { reason in await self.incomingFailed(number, reason: reason) },
                progressed: { [running] progress in
                    live.set(number, bytes: progress.bytes, rate: progress.rate)
                    var now = running
                    now.bytes = progress.bytes
                    core.emit(.transfers(.progress(now, bytesPerSecond: progress.rate)))
                })
        } catch {
            let reason = "cannot write \(partPath): \(error)"
            await finish(transfer, as: .failed, reason: reason)
            try await connection.send(Envelope(type: .fileCancel, source: core.user, target: transfer.peer, data: reason, transfer: transfer.id))
            return
        }
        receiving[number] = incoming
        live.set(number, bytes: incoming.bytes, rate: 0)
        core.streams.open(streamID, from: transfer.peer, to: incoming)
        try await store.updateTransfer(number, state: .receiving, bytes: incoming.bytes)
        try await connection.send(
            Envelope(type: .fileAccept, source: core.user, target: transfer.peer, transfer: transfer.id, offset: incoming.bytes, stream: streamID))
    }

    private func incomingFailed(_ number: Int, reason: String) async {
        guard let transfer = try? await store.transfer(number: number) else { return }
        closeReceiving(number)
        let text = "\(transfer.name): \(reason); \(transfer.name).part is kept"
        await finish(transfer, as: .failed, reason: text)
        await tell(transfer, Envelope(type: .fileCancel, source: core.user, target: transfer.peer, data: reason, transfer: transfer.id))
    }

    private func receiveEnd(_ envelope: Envelope, on connection: PeerConnection) async throws {
        guard let id = envelope.transfer, let sha256 = envelope.sha256,
            let transfer = try await store.transfer(id: id, peer: envelope.source, direction: .incoming),
            let incoming = receiving.removeValue(forKey: transfer.number), let path = transfer.path, let partPath = transfer.partPath
        else { return }
        core.streams.close(incoming.streamID, from: transfer.peer)
        live.remove(transfer.number)
        guard let (bytes, hash) = await incoming.finish() else {
            await incomingFailed(transfer.number, reason: "cannot write the .part file")
            return
        }
        let problem: String? =
            bytes != transfer.size ? "the sender stopped after \(bytes) of \(transfer.size) bytes"
            : hash != sha256 ? "the bytes received do not match the sender's SHA-256" : nil
        if hash != sha256, bytes == transfer.size, incoming.resumedFrom > 0, try await store.markRestarted(number: transfer.number) {
            // The bytes held before the resume may be what is wrong (a .part changed meanwhile):
            // start again from zero, once, rather than keep a whole file that cannot be used.
            try await restartFromZero(transfer, partPath: partPath, on: connection)
            return
        }
        if let problem {
            let text = "\(transfer.name): \(problem); \(transfer.name).part is kept"
            await finish(transfer, as: .failed, reason: text, bytes: bytes)
            try await connection.send(Envelope(type: .fileCancel, source: core.user, target: transfer.peer, data: problem, transfer: id))
            return
        }
        var final = path
        if FileManager.default.fileExists(atPath: final) {
            final = try await uniquePath(for: transfer.name, in: URL(fileURLWithPath: path).deletingLastPathComponent())
        }
        guard rename(partPath, final) == 0 else {
            let reason = "cannot rename \(partPath): \(String(cString: strerror(errno)))"
            await finish(transfer, as: .failed, reason: reason)
            try await connection.send(Envelope(type: .fileCancel, source: core.user, target: transfer.peer, data: reason, transfer: id))
            return
        }
        await finish(transfer, as: .done, bytes: bytes, path: final, sha256: hash)
        try await connection.send(Envelope(type: .fileDone, source: core.user, target: transfer.peer, transfer: id, sha256: hash))
    }

    private func restartFromZero(_ transfer: FileTransfer, partPath: String, on connection: PeerConnection) async throws {
        let reason = "the bytes received after a resume do not match the sender's SHA-256"
        logger.notice("download starts again from zero", metadata: ["transfer": "\(transfer.number)", "peer": "\(transfer.peer)"])
        guard truncate(partPath, 0) == 0 else {
            await incomingFailed(transfer.number, reason: "\(reason), and \(partPath) cannot be emptied: \(String(cString: strerror(errno)))")
            return
        }
        var restarted = transfer
        restarted.bytes = 0
        core.emit(.transfers(.restarted(restarted, reason: reason)))
        try await startReceiving(transfer, on: connection)
    }

    // MARK: Sending bytes

    private func receiveAccept(_ envelope: Envelope, on connection: PeerConnection) async throws {
        guard let id = envelope.transfer, let offset = envelope.offset, let stream = envelope.stream,
            let transfer = try await store.transfer(id: id, peer: envelope.source, direction: .outgoing)
        else { return }
        guard !transfer.state.isFinal else {
            if let closing = closingEnvelope(for: transfer) { try await connection.send(closing) }
            return
        }
        guard offset <= transfer.size else {
            await fail(transfer, reason: "\(transfer.peer) asked to resume beyond the end of the file")
            return
        }
        await stopSending(transfer.number)
        let modified = try await store.sourceModified(number: transfer.number)
        guard let (running, _) = try await store.updateTransfer(transfer.number, state: .sending) else { return }
        nextToken += 1
        let token = nextToken
        guard let scope else { return }  // the session ended meanwhile: it goes on in the next one
        // `transmit` is nonisolated: the file is read and sent outside this actor.
        let work = scope.start {
            await self.transmit(running, modified: modified, from: offset, stream: stream, on: connection)
            await self.transmitEnded(running.number, token: token)
        }
        sending[transfer.number] = Sending(connectionID: connection.id, token: token, work: work)
    }

    private enum TransmitError: Error {
        case source(String)
        case network
        /// The transmission was stopped (a cancel, a new accept, the session's end).
        case stopped
    }

    /// Reads the file once from the start, hashing it, and sends the bytes from `offset` on; ends
    /// with `FileEnd` and the hash. Runs outside the actor.
    private nonisolated func transmit(
        _ transfer: FileTransfer, modified: Int64?, from offset: Int64, stream: UInt32, on connection: PeerConnection
    ) async {
        guard let path = transfer.path else { return }
        do {
            let descriptor: FileDescriptor
            do {
                descriptor = try FileDescriptor.open(path, O_RDONLY)
            } catch {
                throw TransmitError.source("cannot read \(path): \(error)")
            }
            defer { descriptor.close() }
            let status = try Self.sourceStep { try descriptor.status() }
            guard status.size == transfer.size, modified == nil || status.modified == modified else {
                throw TransmitError.source("\(path) changed since it was offered (size or modification time); send it again with /file")
            }
            descriptor.adviseSequential()
            var hasher = SHA256()
            let knownHash = transfer.sha256
            if knownHash == nil {
                // Gigabytes, for a resume late in a big file: read on the blocking pool.
                let (hashed, prefix) = try await Self.blockingSourceStep { () throws -> (Int64, SHA256) in
                    var prefix = SHA256()
                    return (try descriptor.hash(next: offset, into: &prefix), prefix)
                }
                guard hashed == offset else {
                    throw TransmitError.source("\(path) is shorter than when it was offered")
                }
                hasher = prefix
            } else {
                try Self.sourceStep { try descriptor.seek(to: offset) }
            }
            var position = offset
            var meter = ProgressMeter(startBytes: offset)
            var running = transfer
            // The file's bytes are read in behind the stream id (on the blocking pool) and go to
            // TLS from there. A few buffers in turn: by the time one comes round again, TLS has
            // let go of it and it is filled in place (fresh memory for every chunk costs more in
            // page faults than the copy it saves).
            let buffers = (0..<Self.sendBuffers).map { _ in LentChunkBuffer() }
            var turn = 0
            while position < transfer.size {
                try Task.checkCancellation()
                let buffer = buffers[turn % buffers.count]
                turn += 1
                let count = Int(min(Int64(Self.chunkSize), transfer.size - position))
                let got = try await Self.blockingSourceStep { try buffer.fill(stream: stream, count: count, from: descriptor) }
                guard got > 0 else { throw TransmitError.source("\(path) is shorter than when it was offered") }
                let payload = buffer.chunk
                if knownHash == nil {
                    payload.withUnsafeReadableBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0.dropFirst(4))) }
                }
                do {
                    try await connection.sendChunk(payload)
                } catch {
                    throw TransmitError.network
                }
                position += Int64(got)
                if let rate = position == transfer.size ? meter.rate(at: position) : meter.report(at: position) {
                    live.set(transfer.number, bytes: position, rate: rate)
                    running.bytes = position
                    core.emit(.transfers(.progress(running, bytesPerSecond: rate)))
                }
            }
            let sha256 = knownHash ?? Self.hex(hasher.finalize())
            if knownHash == nil { try? await core.store.recordSHA256(sha256, number: transfer.number) }
            do {
                try await connection.send(
                    Envelope(type: .fileEnd, source: core.user, target: transfer.peer, transfer: transfer.id, sha256: sha256))
            } catch {
                throw TransmitError.network
            }
        } catch TransmitError.source(let reason) {
            await fail(transfer, reason: reason)
        } catch {
            // The connection went (or the transfer was stopped): it goes on when the friend is back.
            await pause(transfer.number)
        }
    }

    private static func sourceStep<T>(_ step: () throws -> T) throws(TransmitError) -> T {
        do {
            return try step()
        } catch {
            throw .source("cannot read the file: \(error)")
        }
    }

    /// A step of reading the source that may take long (hashing what a resume skips), on NIO's
    /// blocking pool rather than the cooperative one.
    private static func blockingSourceStep<T: Sendable>(_ step: @escaping @Sendable () throws -> T) async throws(TransmitError) -> T {
        do {
            return try await NIOThreadPool.singleton.runIfActive(step)
        } catch is CancellationError {
            // The pool drops work whose task was cancelled before it ran: not the file's fault.
            throw .stopped
        } catch {
            throw .source("cannot read the file: \(error)")
        }
    }

    private func transmitEnded(_ number: Int, token: Int) {
        if sending[number]?.token == token { sending[number] = nil }
    }

    private func stopSending(_ number: Int) async {
        guard let running = sending.removeValue(forKey: number) else { return }
        running.work.cancel()
        await running.work.finished()
    }

    private func pause(_ number: Int) async {
        live.remove(number)
        if let (transfer, changed) = try? await store.updateTransfer(number, state: .paused), changed {
            outcomes.resume(number, with: ())
            logger.info("transfer paused", metadata: ["transfer": "\(number)", "peer": "\(transfer.peer)"])
        }
    }

    private func fail(_ transfer: FileTransfer, reason: String) async {
        await finish(transfer, as: .failed, reason: reason)
        await tell(transfer, Envelope(type: .fileCancel, source: core.user, target: transfer.peer, data: reason, transfer: transfer.id))
    }

    // MARK: Answers from the other side

    private func receivePending(_ envelope: Envelope) async throws {
        guard let id = envelope.transfer,
            let transfer = try await store.transfer(id: id, peer: envelope.source, direction: .outgoing),
            transfer.state == .offered || transfer.state == .paused
        else { return }
        try await store.updateTransfer(transfer.number, state: .waiting)
        outcomes.resume(transfer.number, with: ())
    }

    private func receiveDecline(_ envelope: Envelope) async throws {
        guard let id = envelope.transfer,
            let transfer = try await store.transfer(id: id, peer: envelope.source, direction: .outgoing)
        else { return }
        await stopSending(transfer.number)
        await finish(transfer, as: .declined, reason: "declined by \(transfer.peer)")
    }

    private func receiveCancel(_ envelope: Envelope) async throws {
        guard let id = envelope.transfer else { return }
        var found = try await store.transfer(id: id, peer: envelope.source, direction: .outgoing)
        if found == nil { found = try await store.transfer(id: id, peer: envelope.source, direction: .incoming) }
        guard let transfer = found, !transfer.state.isFinal else { return }
        if let reason = envelope.data {
            await stop(transfer, removingPart: false)
            await finish(transfer, as: .failed, reason: "\(transfer.peer): \(reason)")
        } else {
            await stop(transfer, removingPart: true)
            await finish(transfer, as: .cancelled, reason: "cancelled by \(transfer.peer)")
        }
    }

    private func receiveDone(_ envelope: Envelope) async throws {
        guard let id = envelope.transfer,
            let transfer = try await store.transfer(id: id, peer: envelope.source, direction: .outgoing)
        else { return }
        await finish(transfer, as: .done, bytes: transfer.size, sha256: envelope.sha256)
    }

    // MARK: Shared steps

    /// Stops moving bytes for `transfer`, on whichever side we are.
    private func stop(_ transfer: FileTransfer, removingPart: Bool) async {
        switch transfer.direction {
        case .outgoing:
            await stopSending(transfer.number)
        case .incoming:
            closeReceiving(transfer.number)
            if removingPart, let part = transfer.partPath { unlink(part) }
        }
    }

    private func closeReceiving(_ number: Int) {
        guard let incoming = receiving.removeValue(forKey: number) else { return }
        live.remove(number)
        core.streams.close(incoming.streamID, from: incoming.peer)
        incoming.close()
    }

    /// Records the end of a transfer once (store, event, waiting `/file`).
    private func finish(
        _ transfer: FileTransfer, as state: FileTransfer.State, reason: String? = nil, bytes: Int64? = nil,
        path: String? = nil, sha256: String? = nil
    ) async {
        live.remove(transfer.number)
        guard let (finished, changed) = try? await store.updateTransfer(
            transfer.number, state: state, bytes: bytes, path: path, sha256: sha256, reason: reason), changed
        else { return }
        switch (state, finished.direction) {
        case (.done, .incoming): core.emit(.transfers(.received(finished)))
        case (.done, .outgoing): core.emit(.transfers(.sent(finished)))
        case (.failed, _): core.emit(.transfers(.failed(finished, reason: reason ?? "failed")))
        default: core.emit(.transfers(.cancelled(finished, reason: reason ?? state.rawValue)))
        }
        outcomes.resume(transfer.number, with: ())
    }

    /// Sends `envelope`, which says how `transfer` ended, to its peer. When the peer cannot be
    /// reached now, it is told when it is next connected (`tellUntoldOutcomes`): a receiver
    /// offline when its sender cancels would otherwise wait for the file forever.
    private func tell(_ transfer: FileTransfer, _ envelope: Envelope) async {
        if let connection = try? await core.reach(transfer.peer), (try? await connection.send(envelope)) != nil { return }
        try? await store.setOutcomeUntold(true, number: transfer.number)
        await core.watch([transfer.peer])
    }

    /// Tells `peer` (or every peer) how the transfers that ended while it was away ended, on
    /// `connection` or one made for it.
    private func tellUntoldOutcomes(to peer: String?, on connection: PeerConnection? = nil) async {
        guard let untold = try? await store.transfersWithUntoldOutcome() else { return }
        for transfer in untold where peer == nil || transfer.peer == peer {
            guard let envelope = closingEnvelope(for: transfer) else { continue }
            var link = connection
            if link == nil { link = try? await core.reach(transfer.peer) }
            guard let link, (try? await link.send(envelope)) != nil else { continue }
            try? await store.setOutcomeUntold(false, number: transfer.number)
        }
    }

    /// What tells the peer that `transfer` ended the way it did; nil while it runs or once it is done.
    private func closingEnvelope(for transfer: FileTransfer) -> Envelope? {
        let (peer, id) = (transfer.peer, transfer.id)
        switch transfer.state {
        case .declined: return Envelope(type: .fileDecline, source: core.user, target: peer, transfer: id)
        case .cancelled: return Envelope(type: .fileCancel, source: core.user, target: peer, transfer: id)
        case .failed: return Envelope(type: .fileCancel, source: core.user, target: peer, data: transfer.reason ?? "failed", transfer: id)
        case .offered, .waiting, .sending, .receiving, .paused, .done: return nil
        }
    }

    /// A free name in `directory`: `NAME`, else `STEM (1).EXT`, `STEM (2).EXT`, … that no file,
    /// `.part` or running transfer uses.
    private func uniquePath(for name: String, in directory: URL) async throws -> String {
        let inUse = try await store.incomingPathsInUse()
        let dot = name.lastIndex(of: ".").flatMap { $0 == name.startIndex ? nil : $0 }
        let stem = dot.map { String(name[..<$0]) } ?? name
        let suffix = dot.map { String(name[$0...]) } ?? ""
        for attempt in 0... {
            let candidate = attempt == 0 ? name : "\(stem) (\(attempt))\(suffix)"
            let path = directory.appendingPathComponent(candidate).path
            if !inUse.contains(path), !FileManager.default.fileExists(atPath: path),
                !FileManager.default.fileExists(atPath: path + ".part")
            {
                return path
            }
        }
        preconditionFailure("unreachable: the loop above has no end")
    }

    /// A digest as 64 lowercase hex digits, as `Sha256` carries it.
    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    private static func describe(_ error: any Error) -> String {
        (error as? CocoaError)?.localizedDescription ?? "\(error)"
    }

    // MARK: Engine events

    func watchedUsers() async throws -> Set<String> {
        Set(try await store.unfinishedTransfers().map(\.peer) + store.transfersWithUntoldOutcome().map(\.peer))
    }

    func peerConnected(_ connection: PeerConnection) async {
        await tellUntoldOutcomes(to: connection.peer, on: connection)
        await resumeOutgoing(to: connection.peer)
    }

    func peerDisconnected(_ connection: PeerConnection) async {
        offeredOn[connection.id] = nil
        for (number, incoming) in receiving where incoming.connectionID == connection.id {
            closeReceiving(number)
            await pause(number)
        }
        for (number, running) in sending where running.connectionID == connection.id {
            await stopSending(number)
            await pause(number)
        }
    }

    func peerOnline(_ peer: String) async {
        await tellUntoldOutcomes(to: peer)
        await resumeOutgoing(to: peer)
    }

    func retry() async {
        await tellUntoldOutcomes(to: nil)
        await resumeOutgoing(to: nil)
    }

    func sessionStarted(_ scope: SessionScope) async {
        self.scope = scope
    }

    func sessionEnded() async {
        defer { scope = nil }
        for number in Array(sending.keys) {
            await stopSending(number)
            await pause(number)
        }
        for number in Array(receiving.keys) {
            closeReceiving(number)
            await pause(number)
        }
        offeredOn = [:]
        outcomes.resumeAll(with: ())
    }
}
