import ChatWire
import Crypto
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// The receiving end of one transfer on one connection: writes the stream's bytes to `NAME.part`
/// and hashes them as they arrive.
///
/// Called from the connection's task, in order; while it writes, the connection reads nothing
/// more, so a slow disk slows the sender through TCP instead of filling memory. Every call that
/// may block on the disk (opening and hashing a `.part`, writing, syncing) runs on NIO's blocking
/// thread pool, never on the cooperative pool: a multi-GiB resume must not hold up the chat.
final class IncomingFile: StreamReceiver {
    let number: Int
    let peer: String
    let streamID: UInt32
    let connectionID: Int
    let size: Int64
    /// The bytes the `.part` already held when it was opened: more than zero for a resume.
    let resumedFrom: Int64

    private struct State {
        var descriptor: FileDescriptor?
        var hasher = SHA256()
        var bytes: Int64
        var meter: ProgressMeter
        var writeBehind: WriteBehind
        var failure: String?
    }

    private let state: Mutex<State>
    private let failed: @Sendable (_ reason: String) async -> Void
    private let progressed: @Sendable (LiveProgress.Entry) -> Void

    /// Opens (or creates) `partPath` and hashes what it already holds, on the blocking pool, so
    /// the transfer goes on from there; a `.part` longer than the file is started again.
    static func open(
        number: Int, peer: String, partPath: String, size: Int64, streamID: UInt32, connectionID: Int,
        failed: @escaping @Sendable (String) async -> Void, progressed: @escaping @Sendable (LiveProgress.Entry) -> Void
    ) async throws -> IncomingFile {
        try await NIOThreadPool.singleton.runIfActive {
            try IncomingFile(
                number: number, peer: peer, partPath: partPath, size: size, streamID: streamID, connectionID: connectionID,
                failed: failed, progressed: progressed)
        }
    }

    private init(
        number: Int, peer: String, partPath: String, size: Int64, streamID: UInt32, connectionID: Int,
        failed: @escaping @Sendable (String) async -> Void, progressed: @escaping @Sendable (LiveProgress.Entry) -> Void
    ) throws(FileDescriptor.Failure) {
        let descriptor = try FileDescriptor.open(partPath, O_RDWR | O_CREAT)
        var hasher = SHA256()
        var held: Int64 = 0
        do {
            let existing = try descriptor.status().size
            if existing > size {
                try descriptor.truncate(to: 0)
            } else if existing > 0 {
                descriptor.adviseSequential()
                held = try descriptor.hash(next: existing, into: &hasher)
            }
            try descriptor.seek(to: held)
        } catch {
            descriptor.close()
            throw error
        }
        self.number = number
        self.peer = peer
        self.size = size
        self.resumedFrom = held
        self.streamID = streamID
        self.connectionID = connectionID
        self.failed = failed
        self.progressed = progressed
        self.state = Mutex(
            State(
                descriptor: descriptor, hasher: hasher, bytes: held, meter: ProgressMeter(startBytes: held),
                writeBehind: WriteBehind(descriptor: descriptor.raw, from: held)))
    }

    /// The bytes on disk when it was opened or now.
    var bytes: Int64 { state.withLock { $0.bytes } }

    func receive(_ bytes: ByteBuffer, on connection: PeerConnection) async {
        let outcome: (failure: String?, progress: LiveProgress.Entry?)
        do {
            outcome = try await NIOThreadPool.singleton.runIfActive { self.write(bytes) }
        } catch is CancellationError {
            // The connection's task is ending (the pool drops its work unrun), and the transfer
            // pauses with it: nothing more is written, and the bytes on disk stay for a resume.
            state.withLock { $0.failure = $0.failure ?? "stopped" }
            return
        } catch {
            outcome = ("cannot write the .part file: \(error)", nil)
        }
        if let progress = outcome.progress { progressed(progress) }
        if let failure = outcome.failure { await failed(failure) }
    }

    /// Writes and hashes one chunk (a blocking call, on the blocking pool).
    private func write(_ bytes: ByteBuffer) -> (failure: String?, progress: LiveProgress.Entry?) {
        state.withLock { state in
            guard state.failure == nil, let descriptor = state.descriptor else { return (nil, nil) }
            guard state.bytes + Int64(bytes.readableBytes) <= size else {
                state.failure = "the sender sent more bytes than it offered"
                return (state.failure, nil)
            }
            let written: Result<Void, FileDescriptor.Failure> = bytes.withUnsafeReadableBytes { pointer in
                do throws(FileDescriptor.Failure) {
                    try descriptor.write(pointer)
                } catch {
                    return .failure(error)
                }
                state.hasher.update(bufferPointer: pointer)
                return .success(())
            }
            if case .failure(let error) = written {
                state.failure = "cannot write the .part file: \(error)"
                return (state.failure, nil)
            }
            state.bytes += Int64(bytes.readableBytes)
            state.writeBehind.wrote(upTo: state.bytes)
            let rate = state.bytes == size ? state.meter.rate(at: state.bytes) : state.meter.report(at: state.bytes)
            return (nil, rate.map { LiveProgress.Entry(bytes: state.bytes, rate: $0) })
        }
    }

    /// Ends the writing: the byte count and hash of everything in the `.part`, synced to disk;
    /// nil after a failure. The `fsync` runs on the blocking pool.
    func finish() async -> (bytes: Int64, sha256: String)? {
        let result = try? await NIOThreadPool.singleton.runIfActive { self.finishOnDisk() }
        return result ?? nil
    }

    private func finishOnDisk() -> (bytes: Int64, sha256: String)? {
        state.withLock { state in
            guard state.failure == nil, let descriptor = state.descriptor else { return nil }
            defer {
                descriptor.close()
                state.descriptor = nil
            }
            do {
                try descriptor.sync()
            } catch {
                state.failure = "cannot write: \(error)"
                return nil
            }
            return (state.bytes, TransfersPart.hex(state.hasher.finalize()))
        }
    }

    /// Stops writing; what is on disk stays.
    func close() {
        state.withLock { state in
            state.descriptor?.close()
            state.descriptor = nil
        }
    }
}
