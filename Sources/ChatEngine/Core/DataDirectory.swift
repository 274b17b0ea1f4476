import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The user's own directory (`identity.pem`, `chat.sqlite`, …): made private, checked, and
/// described in one line when it cannot be used, never with a Foundation error dump.
enum DataDirectory {
    struct Error: Swift.Error, CustomStringConvertible, Equatable {
        var path: String
        var problem: String
        var description: String { "cannot use \(path) as the data directory: \(problem)" }
    }

    /// Creates `directory` (mode 0700) if needed and checks that it is a writable directory.
    static func prepare(_ directory: URL) throws {
        let path = directory.path
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw Error(path: path, problem: "it is a file, not a directory")
            }
        } else if errno == ENOENT {
            try createDirectories(directory)
        } else if errno == ENOTDIR {
            throw Error(path: path, problem: "a part of its path is a file, not a directory")
        } else {
            throw Error(path: path, problem: String(cString: strerror(errno)))
        }
        guard access(path, W_OK | X_OK) == 0 else {
            throw Error(path: path, problem: "it is not writable (\(String(cString: strerror(errno))))")
        }
    }

    /// Makes `directory` and any missing parents, each 0700, naming the first that fails.
    private static func createDirectories(_ directory: URL) throws {
        let parent = directory.deletingLastPathComponent()
        if parent.path != directory.path, access(parent.path, F_OK) != 0 {
            try createDirectories(parent)
        }
        guard mkdir(directory.path, 0o700) == 0 || errno == EEXIST else {
            let reason = String(cString: strerror(errno))
            throw Error(path: directory.path, problem: "it cannot be created (\(reason))")
        }
    }

    /// Like ssh, does not leave a private key readable by others: a key file with group or other
    /// permission bits is set back to 0600. Returns the warning to show when it did so.
    static func repairKeyPermissions(_ file: URL) throws -> String? {
        var info = stat()
        guard stat(file.path, &info) == 0 else { return nil }
        let loose = info.st_mode & 0o077
        guard loose != 0 else { return nil }
        guard chmod(file.path, 0o600) == 0 else {
            throw Error(path: file.path, problem: "the private key is readable by others and cannot be made private (\(String(cString: strerror(errno))))")
        }
        let before = String(info.st_mode & 0o777, radix: 8)
        return "the private key \(file.path) was readable by others (mode \(before)); it is now 0600. "
            + "If someone else could read it, they can pose as you: consider a new identity."
    }
}
