import NIOCore

#if canImport(Glibc)
import Glibc
#endif

extension FileDescriptor {
    /// Appends up to `count` bytes from the current position to `buffer`; returns how many,
    /// 0 at the end of the file. A caller that reads a whole file passes the same buffer each
    /// time (emptied), so its memory is allocated once, not once a read.
    @discardableResult
    func read(upTo count: Int, appendingTo buffer: inout ByteBuffer) throws(Failure) -> Int {
        var failure: Int32 = 0
        let got = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { pointer in
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
        return got
    }
}
