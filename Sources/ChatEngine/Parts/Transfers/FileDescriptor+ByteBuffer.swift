import NIOCore

#if canImport(Glibc)
import Glibc
#endif

extension FileDescriptor {
    /// Up to `count` bytes from the current position; an empty buffer at the end of the file.
    func read(upTo count: Int) throws(Failure) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        var failure: Int32 = 0
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { pointer in
            while true {
                let got = Glibc.read(raw, pointer.baseAddress, count)
                if got >= 0 { return got }
                if errno != EINTR {
                    failure = errno
                    return 0
                }
            }
        }
        if failure != 0 { throw Failure(errno: failure) }
        return buffer
    }
}
