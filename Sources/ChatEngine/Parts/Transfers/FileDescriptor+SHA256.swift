import Crypto
import NIOCore

extension FileDescriptor {
    /// Feeds the next `count` bytes from the current position (fewer at the end of the file) to
    /// `hasher`, in reads of `TransfersPart.readSize` into one reused buffer; returns how many.
    /// What a resume needs of the bytes already through, on either side.
    func hash(next count: Int64, into hasher: inout SHA256) throws(Failure) -> Int64 {
        var hashed: Int64 = 0
        var block = ByteBuffer()
        while hashed < count {
            block.clear()
            guard try read(upTo: Int(min(Int64(TransfersPart.readSize), count - hashed)), appendingTo: &block) > 0 else { break }
            block.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
            hashed += Int64(block.readableBytes)
        }
        return hashed
    }
}
