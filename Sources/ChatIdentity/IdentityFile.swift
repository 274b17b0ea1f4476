import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The POSIX file handling behind `Identity.loadOrCreate`: plain system calls, because the
/// guarantees needed here (exclusive creation, exact modes, fsync, link-into-place) are the
/// ones Foundation's convenience writers do not promise.
enum IdentityFile {
    /// The file's text, or nil if there is no file. Anything else that stops the read throws.
    static func contents(path: String, limit: Int) throws -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            let code = errno
            // ENOTDIR: a parent is not a directory, so there is no file; creating it will then
            // fail with an error about the directory, which is the part the user must fix.
            if code == ENOENT || code == ENOTDIR { return nil }
            throw Identity.Error(kind: .unreadable, path: path, reason: Self.message(code))
        }
        defer { close(descriptor) }

        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw Identity.Error(kind: .unreadable, path: path, reason: Self.message(code))
            }
            if count == 0 { break }
            bytes += chunk.prefix(count)
            if bytes.count > limit {
                throw Identity.Error(kind: .unreadable, path: path, reason: "it is larger than \(limit) bytes")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Identity.Error(kind: .corrupt, path: path, reason: "it is not text")
        }
        return text
    }

    /// Writes `contents` to `path` with mode 0600 unless `path` already exists.
    ///
    /// Returns false, writing nothing, when another process created `path` first. The parent
    /// directory is created with mode 0700 if missing.
    static func createExclusively(path: String, contents: String) throws -> Bool {
        let file = URL(fileURLWithPath: path)
        let directory = file.deletingLastPathComponent()
        try Self.makeDirectory(directory)

        let temporary = directory.appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString).tmp").path
        try Self.writeDurably(path: temporary, bytes: Array(contents.utf8), finalPath: path)
        defer { unlink(temporary) }

        // link(2) puts the complete file in place atomically and, unlike rename(2), refuses to
        // replace an existing one: the loser of a race keeps the winner's identity.
        if link(temporary, path) != 0 {
            let code = errno
            if code == EEXIST { return false }
            // Some file systems have no hard links; fall back to rename, which is still atomic.
            guard code == EPERM || code == ENOTSUP || code == EOPNOTSUPP || code == ENOSYS else {
                throw Identity.Error(kind: .cannotWrite, path: path, reason: Self.message(code))
            }
            if access(path, F_OK) == 0 { return false }
            if rename(temporary, path) != 0 {
                throw Identity.Error(kind: .cannotWrite, path: path, reason: Self.message(errno))
            }
        }
        DurableFile.syncDirectory(directory.path)
        return true
    }

    private static func makeDirectory(_ directory: URL) throws {
        do {
            try FileManager.default.createDirectory(
                at: directory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw Identity.Error(
                kind: .cannotWrite,
                path: directory.path,
                reason: "its directory cannot be created (\(error.localizedDescription))"
            )
        }
    }

    private static func writeDurably(path: String, bytes: [UInt8], finalPath: String) throws {
        if let failure = DurableFile.create(path, with: bytes) {
            throw Identity.Error(kind: .cannotWrite, path: finalPath, reason: Self.message(failure))
        }
    }

    private static func message(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
