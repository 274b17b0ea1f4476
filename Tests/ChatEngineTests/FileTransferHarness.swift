@testable import ChatEngine
import Crypto
import Foundation

/// Files for transfer tests: made of a repeatable pseudo-random pattern, so a byte out of place shows.
enum TestFiles {
    /// Writes `size` bytes to `directory/name` and returns its URL.
    static func make(_ name: String, size: Int, in directory: URL, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        // One pseudo-random MiB, stamped with its block number: cheap to make, and no two blocks alike.
        var state = seed | 1
        var pattern = [UInt8](repeating: 0, count: 1 << 20)
        for index in stride(from: 0, to: pattern.count, by: 8) {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            withUnsafeBytes(of: state) { word in
                for offset in 0..<8 { pattern[index + offset] = word[offset] }
            }
        }
        var left = size
        var blockNumber: UInt64 = 0
        while left > 0 {
            let count = min(left, pattern.count)
            withUnsafeBytes(of: blockNumber) { stamp in
                for offset in 0..<min(8, count) { pattern[offset] = stamp[offset] }
            }
            try handle.write(contentsOf: pattern[..<count])
            left -= count
            blockNumber += 1
        }
        return url
    }

    /// The SHA-256 of the file at `url`, in lowercase hex, read in blocks.
    static func sha256(of url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty { hasher.update(data: block) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    static func size(of path: String) -> Int64? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value
    }
}

extension EngineEvent {
    var fileOffer: FileTransfer? {
        if case .transfers(.offer(let transfer)) = self { transfer } else { nil }
    }

    var fileProgress: FileTransfer? {
        if case .transfers(.progress(let transfer, _)) = self { transfer } else { nil }
    }

    var fileReceived: FileTransfer? {
        if case .transfers(.received(let transfer)) = self { transfer } else { nil }
    }

    var fileSent: FileTransfer? {
        if case .transfers(.sent(let transfer)) = self { transfer } else { nil }
    }

    var fileFailed: (transfer: FileTransfer, reason: String)? {
        if case .transfers(.failed(let transfer, let reason)) = self { (transfer, reason) } else { nil }
    }

    var fileRestarted: (transfer: FileTransfer, reason: String)? {
        if case .transfers(.restarted(let transfer, let reason)) = self { (transfer, reason) } else { nil }
    }

    var fileCancelled: (transfer: FileTransfer, reason: String)? {
        if case .transfers(.cancelled(let transfer, let reason)) = self { (transfer, reason) } else { nil }
    }
}

extension TestUser {
    var downloads: URL { dataDirectory.appendingPathComponent("downloads") }
}
