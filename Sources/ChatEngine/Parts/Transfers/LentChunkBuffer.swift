import ChatWire
import NIOCore
import Synchronization

/// One of the sender's chunk buffers, lent to NIO's blocking pool to be filled from the file.
///
/// The buffer stays inside, so the read fills it in place: a buffer captured by the pool's closure
/// would be shared, and filling it would copy the chunk every time. The sender awaits each fill,
/// so the buffer is never touched from two threads at once; the lock only proves it.
final class LentChunkBuffer: Sendable {
    private let buffer = Mutex(ByteBuffer())

    /// Starts a chunk of `stream` and appends up to `count` bytes read from `descriptor`; returns
    /// how many (0 at the end of the file). A blocking read: call it on the blocking pool.
    func fill(stream: UInt32, count: Int, from descriptor: FileDescriptor) throws -> Int {
        try buffer.withLock { payload in
            StreamChunk.start(&payload, streamID: stream)
            payload.reserveCapacity(4 + count)
            return try descriptor.read(upTo: count, appendingTo: &payload)
        }
    }

    /// The chunk as filled, to hash and send. It shares the buffer's memory: once the connection
    /// has written it and this copy is gone, the next fill reuses that memory.
    var chunk: ByteBuffer { buffer.withLock { $0 } }
}
