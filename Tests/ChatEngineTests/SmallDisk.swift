import Foundation
import TestSupport

/// A small tmpfs that a test fills and frees: a full disk on demand (PLATFORM.md, "Faults").
/// Mounting needs root; tests that use it are enabled only then.
struct SmallDisk {
    let directory: URL
    private var filler: URL { directory.appendingPathComponent("filler") }

    static var canMount: Bool { getuid() == 0 }

    static func mount(at directory: URL, megabytes: Int = 8) throws -> SmallDisk {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let mounted = try SpawnedProcess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", directory.path])
        guard mounted.status == 0 else { throw HarnessError("cannot mount a tmpfs on \(directory.path): \(mounted.errors)") }
        return SmallDisk(directory: directory)
    }

    /// Writes zeros until the file system says it is full.
    func fill() throws {
        let descriptor = open(filler.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw HarnessError("cannot create \(filler.path): errno \(errno)") }
        defer { close(descriptor) }
        let zeros = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let written = zeros.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written > 0 { continue }
            if errno == ENOSPC { return }
            throw HarnessError("filling \(directory.path) failed: errno \(errno)")
        }
    }

    /// Gives the space back.
    func free() throws {
        try FileManager.default.removeItem(at: filler)
    }

    /// Detaches the file system now (files still open stay usable until closed).
    func unmount() {
        _ = try? SpawnedProcess.run("/bin/umount", ["-l", directory.path])
    }
}
