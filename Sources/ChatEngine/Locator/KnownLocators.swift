import ChatIdentity
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The locator fingerprints pinned on first contact, like ssh's `known_hosts`: one
/// `host:port fingerprint-hex` a line (`[host]:port` for an IPv6 address). Blank lines and lines
/// starting with `#` are kept as they are; so are lines that do not parse, so a hand edit that
/// went wrong is never silently lost.
struct KnownLocators {
    /// A file this large is not a list of locators; refusing it keeps memory bounded.
    static let maximumFileSize = 1 << 20

    let file: URL
    private(set) var lines: [String]

    /// Loads the file; a missing file is an empty list.
    static func load(from file: URL) throws(LocatorClient.Error) -> KnownLocators {
        // A missing file is the normal first run; other problems (permissions, a directory) are reported.
        guard FileManager.default.fileExists(atPath: file.path) else { return KnownLocators(file: file, lines: []) }
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            if let size = attributes[.size] as? Int, size > maximumFileSize {
                throw LocatorClient.Error.knownLocatorsUnreadable(
                    file: file.path, reason: "it is larger than \(maximumFileSize) bytes")
            }
            data = try Data(contentsOf: file)
        } catch let error as LocatorClient.Error {
            throw error
        } catch {
            throw .knownLocatorsUnreadable(file: file.path, reason: error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .knownLocatorsUnreadable(file: file.path, reason: "it is not UTF-8 text")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return KnownLocators(file: file, lines: lines)
    }

    /// The key of a locator in the file.
    static func key(host: String, port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The fingerprint pinned for `key`, if any (the first valid line for it wins).
    func fingerprint(for key: String) -> ChatIdentity.Fingerprint? {
        for line in lines {
            guard let (lineKey, fingerprint) = Self.parse(line), lineKey == key else { continue }
            return fingerprint
        }
        return nil
    }

    /// The fingerprint a replica at `address` must present, and the key it was pinned for: its
    /// own pin, else the service's, pinned at another of `service`'s addresses (the replicas of
    /// one service share one identity), else none (trust on first use).
    func expectedPin(for address: LocatorAddress, service: [LocatorAddress]) -> (fingerprint: ChatIdentity.Fingerprint, key: String)? {
        for candidate in [address] + service {
            if let fingerprint = fingerprint(for: candidate.description) { return (fingerprint, candidate.description) }
        }
        return nil
    }

    /// Pins `fingerprint` for `key`, replacing an earlier pin for it.
    mutating func pin(_ fingerprint: ChatIdentity.Fingerprint, for key: String) {
        lines.removeAll { Self.parse($0)?.key == key }
        lines.append("\(key) \(fingerprint.hex)")
    }

    /// Writes the file atomically (a complete temporary file renamed over it), mode 0600.
    func save() throws {
        let directory = file.deletingLastPathComponent()
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = directory.appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString).tmp").path
        let bytes = Array(lines.map { $0 + "\n" }.joined().utf8)
        var failure = DurableFile.create(temporary, with: bytes)
        if failure == nil, rename(temporary, file.path) != 0 {
            failure = errno
            unlink(temporary)
        }
        if let failure {
            errno = failure
            throw Self.posixError("cannot write \(file.path)")
        }
        DurableFile.syncDirectory(directory.path)
    }

    private static func parse(_ line: String) -> (key: String, fingerprint: ChatIdentity.Fingerprint)? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count == 2, !words[0].hasPrefix("#"),
            let fingerprint = ChatIdentity.Fingerprint(hex: String(words[1]))
        else { return nil }
        return (String(words[0]), fingerprint)
    }

    private static func posixError(_ what: String) -> any Error {
        let reason = String(cString: strerror(errno))
        return CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(what): \(reason)"])
    }
}
