#if canImport(Glibc)
import Glibc
#endif

@_silgen_name("sync_file_range")
private func glibcSyncFileRange(_ descriptor: Int32, _ offset: Int64, _ count: Int64, _ flags: UInt32) -> Int32

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
        let write: UInt32 = 2, waitBefore: UInt32 = 1, waitAfter: UInt32 = 4  // SYNC_FILE_RANGE_*
        while end - windowStart >= Self.window {
            _ = glibcSyncFileRange(descriptor, windowStart, Self.window, write)
            if windowStart >= Self.window {
                let previous = windowStart - Self.window
                _ = glibcSyncFileRange(descriptor, previous, Self.window, waitBefore | write | waitAfter)
                _ = posix_fadvise(descriptor, off_t(previous), off_t(Self.window), POSIX_FADV_DONTNEED)
            }
            windowStart += Self.window
        }
    }
}
