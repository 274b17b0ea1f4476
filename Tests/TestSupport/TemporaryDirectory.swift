import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A fresh, private directory for one test, removed with everything in it when the test ends.
///
/// Created with `mkdtemp`, so parallel tests never share one and the name cannot be predicted.
public struct TemporaryDirectory: Sendable {
    /// The directory itself (mode 0700).
    public let url: URL

    /// Creates the directory under the system's temporary directory.
    public init(prefix: String = "p2pchat-test") throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix).XXXXXX").path
        var template = Array(base.utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard created != nil else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "mkdtemp(\(base)) failed"])
        }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        self.url = URL(fileURLWithPath: path, isDirectory: true)
    }

    /// Deletes the directory and its contents. Failures are ignored: a test has already finished.
    public func remove() {
        try? FileManager.default.removeItem(at: self.url)
    }
}

/// Runs `body` with a fresh temporary directory, removing it afterwards whatever happens.
public func withTemporaryDirectory<Result>(
    prefix: String = "p2pchat-test",
    _ body: (URL) async throws -> Result
) async throws -> Result {
    let directory = try TemporaryDirectory(prefix: prefix)
    defer { directory.remove() }
    return try await body(directory.url)
}
