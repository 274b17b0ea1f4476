#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing private files (keys, pins) so that a crash leaves either nothing or the whole file:
/// the bytes reach the disk before any name points at them.
public enum DurableFile {
    /// Creates `path`, which must not exist yet, with mode 0600, writes `bytes` and syncs them.
    /// Returns the `errno` of a failure, after removing the partial file; nil on success.
    public static func create(_ path: String, with bytes: [UInt8]) -> Int32? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return errno }
        var failure: Int32?
        // The umask may only remove bits, but say exactly what is meant: owner read/write only.
        if fchmod(descriptor, 0o600) != 0 { failure = errno }
        var written = 0
        while failure == nil, written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno != EINTR { failure = errno }
            } else {
                written += count
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = errno }
        if close(descriptor) != 0, failure == nil { failure = errno }
        if failure != nil { unlink(path) }
        return failure
    }

    /// Makes a new directory entry durable. Best effort: some file systems refuse to fsync a directory.
    public static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}
