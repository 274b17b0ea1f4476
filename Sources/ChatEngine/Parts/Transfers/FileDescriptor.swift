import CoreFoundation
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A POSIX file descriptor used by one transfer, with the calls a transfer needs and errors that
/// say, in words, what went wrong.
struct FileDescriptor: Sendable {
    let raw: Int32

    struct Failure: Error, CustomStringConvertible {
        var errno: Int32
        var description: String {
            errno == ENOSPC ? "the disk is full" : String(cString: strerror(errno))
        }
    }

    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o600) throws(Failure) -> FileDescriptor {
        let raw = Glibc.open(path, flags | O_CLOEXEC, mode)
        guard raw >= 0 else { throw Failure(errno: errno) }
        return FileDescriptor(raw: raw)
    }

    func close() {
        _ = Glibc.close(raw)
    }

    /// Size and modification time (nanoseconds since 1970), and whether it is a regular file.
    func status() throws(Failure) -> (size: Int64, modified: Int64, isRegular: Bool) {
        var info = stat()
        guard fstat(raw, &info) == 0 else { throw Failure(errno: errno) }
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        return (Int64(info.st_size), modified, info.st_mode & S_IFMT == S_IFREG)
    }

    /// Tells the kernel the file is read once, front to back: it reads ahead further.
    func adviseSequential() {
        _ = posix_fadvise(raw, 0, 0, POSIX_FADV_SEQUENTIAL)
    }

    /// Writes all of `bytes` at the current position.
    func write(_ bytes: UnsafeRawBufferPointer) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let wrote = Glibc.write(raw, bytes.baseAddress! + offset, bytes.count - offset)
            if wrote < 0 {
                if errno == EINTR { continue }
                throw Failure(errno: errno)
            }
            offset += wrote
        }
    }

    func seek(to offset: Int64) throws(Failure) {
        guard lseek(raw, off_t(offset), SEEK_SET) >= 0 else { throw Failure(errno: errno) }
    }

    func truncate(to size: Int64) throws(Failure) {
        guard ftruncate(raw, off_t(size)) == 0 else { throw Failure(errno: errno) }
    }

    func sync() throws(Failure) {
        guard fsync(raw) == 0 else { throw Failure(errno: errno) }
    }
}
