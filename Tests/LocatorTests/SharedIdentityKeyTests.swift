import Foundation
import Locator
import Testing
import TestSupport

@Suite("SharedIdentityKey: the key file")
struct SharedIdentityKeyTests {
    @Test("a key file readable by others, or too short, is refused, and the error shows none of it")
    func keyFiles() async throws {
        try await withTemporaryDirectory(prefix: "p2pchat-key-file") { root in
            let file = root.appendingPathComponent("key")
            try Data("0123456789abcdef0123456789abcdef\n".utf8).write(to: file)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
            let open = #expect(throws: SharedIdentityKey.Error.self) { try SharedIdentityKey.read(from: file.path) }
            #expect("\(open.map { "\($0)" } ?? "")".contains("chmod 600"))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
            _ = try SharedIdentityKey.read(from: file.path)
            try Data("tiny-secret\n".utf8).write(to: file)
            let short = #expect(throws: SharedIdentityKey.Error.self) { try SharedIdentityKey.read(from: file.path) }
            let text = short.map { "\($0)" } ?? ""
            #expect(text.contains("at least 32 characters") && !text.contains("tiny-secret"), "\(text)")
        }
    }
}
