import CGlibcExtras
#if canImport(Glibc)
import Glibc
#endif

/// Writeback behind a file written front to back (a download): each window of it is handed to
/// the disk as soon as it is complete, and dropped from the page cache once the disk has it.
///
/// Left to itself, the kernel keeps the whole file in the page cache until writeback catches
/// up, taking fresh memory for every page of it: a big file pushes everything else out, and
/// on a virtual machine fresh memory costs several times more to fill than pages just freed.
/// This way the file takes a few windows of the cache, the pages it frees are filled again at
/// once, and the final `fsync` has little left to do. The same disk work in the end: every
/// byte written, then synced.
public struct WriteBehind: Sendable {
    /// Bytes handed to the disk at a time.
    public static let window: Int64 = 8 << 20

    private let descriptor: Int32
    /// Where the window being filled starts.
    private var windowStart: Int64

    /// For `descriptor`, whose writing goes on from `offset`.
    public init(descriptor: Int32, from offset: Int64) {
        self.descriptor = descriptor
        self.windowStart = offset - offset % Self.window
    }

    /// Says that the file is written up to `end`. (A failure to write shows at the final `fsync`.)
    public mutating func wrote(upTo end: Int64) {
        let write = UInt32(P2P_SYNC_FILE_RANGE_WRITE)
        let waitBefore = UInt32(P2P_SYNC_FILE_RANGE_WAIT_BEFORE), waitAfter = UInt32(P2P_SYNC_FILE_RANGE_WAIT_AFTER)
        while end - windowStart >= Self.window {
            _ = p2p_sync_file_range(descriptor, windowStart, Self.window, write)
            if windowStart >= Self.window {
                let previous = windowStart - Self.window
                _ = p2p_sync_file_range(descriptor, previous, Self.window, waitBefore | write | waitAfter)
                _ = posix_fadvise(descriptor, off_t(previous), off_t(Self.window), POSIX_FADV_DONTNEED)
            }
            windowStart += Self.window
        }
    }
}
