import ChatIdentity
import Foundation
import TestSupport
import Testing

/// An error about the identity file is printed (by the shell, in the JSON `error` event, on the
/// locator's stderr): it must never carry any part of the private key, however the file is damaged.
@Suite("Identity: errors never quote the key")
struct IdentityErrorSecrecyTests {
    @Test("every kind of damaged identity file gives a one-line error without any line of the private key")
    func damagedFilesNeverLeakTheKey() async throws {
        let identity = try Identity.generate(commonName: "alice")
        let pem = try identity.pemRepresentation()
        let secret = Self.keyLines(of: pem)
        try #require(secret.count >= 3, "the key block was not found in \(pem.count) bytes of PEM")

        let damaged = Self.damagedVariants(of: pem, keyLines: secret)
        var errors = 0
        try await withTemporaryDirectory { directory in
            for (index, variant) in damaged.enumerated() {
                let file = directory.appendingPathComponent("identity-\(index).pem")
                try Data(variant.bytes).write(to: file)
                do {
                    _ = try Identity.loadOrCreate(at: file, commonName: "alice")
                } catch {
                    errors += 1
                    let text = "\(error)"
                    #expect(!text.contains("\n"), "\(variant.name): the error spans lines: \(text)")
                    for piece in Self.secretPieces(secret) where text.contains(piece) {
                        Issue.record("\(variant.name): the error quotes the private key: \(text)")
                        break
                    }
                }
            }
        }
        // Nearly every variant is broken; a few bit flips may still decode to a valid file.
        #expect(errors >= damaged.count * 9 / 10, "only \(errors) of \(damaged.count) damaged files were refused")
    }

    /// The base64 lines between the private key's BEGIN and END lines.
    private static func keyLines(of pem: String) -> [String] {
        let lines = pem.split(separator: "\n").map(String.init)
        guard let begin = lines.firstIndex(of: "-----BEGIN PRIVATE KEY-----"),
            let end = lines.firstIndex(of: "-----END PRIVATE KEY-----"), begin < end
        else { return [] }
        return Array(lines[(begin + 1)..<end])
    }

    /// Every key line, and every 12-character run of the key's base64 (a cut-short line is still secret).
    private static func secretPieces(_ keyLines: [String]) -> [String] {
        let joined = Array(keyLines.joined())
        let runs = stride(from: 0, through: joined.count - 12, by: 1).map { String(joined[$0..<($0 + 12)]) }
        return keyLines + runs
    }

    private struct Variant {
        var name: String
        var bytes: [UInt8]
    }

    private static func damagedVariants(of pem: String, keyLines: [String]) -> [Variant] {
        let bytes = Array(pem.utf8)
        var variants: [Variant] = []
        // Cut short at every length: `truncate -s N identity.pem`.
        for length in 0..<bytes.count {
            variants.append(Variant(name: "truncated to \(length) bytes", bytes: Array(bytes.prefix(length))))
        }
        for (index, line) in keyLines.enumerated() {
            variants.append(Variant(name: "key line \(index) removed", bytes: Array(pem.replacingOccurrences(of: line + "\n", with: "").utf8)))
            variants.append(Variant(name: "key line \(index) cut in half", bytes: Array(pem.replacingOccurrences(of: line, with: String(line.prefix(line.count / 2))).utf8)))
            variants.append(Variant(name: "key line \(index) with a bad character", bytes: Array(pem.replacingOccurrences(of: line, with: "*" + line.dropFirst()).utf8)))
            variants.append(Variant(name: "key line \(index) doubled", bytes: Array(pem.replacingOccurrences(of: line, with: line + line).utf8)))
            variants.append(Variant(name: "key line \(index) changed", bytes: Array(pem.replacingOccurrences(of: line, with: String(line.reversed())).utf8)))
        }
        let withoutEnd = pem.replacingOccurrences(of: "-----END PRIVATE KEY-----\n", with: "")
        variants.append(Variant(name: "key without its END line", bytes: Array(withoutEnd.utf8)))
        let withoutBegin = pem.replacingOccurrences(of: "-----BEGIN PRIVATE KEY-----\n", with: "")
        variants.append(Variant(name: "key without its BEGIN line", bytes: Array(withoutBegin.utf8)))
        let mislabelled = pem.replacingOccurrences(of: "PRIVATE KEY-----", with: "EC PRIVATE KEY-----")
        variants.append(Variant(name: "key under another label", bytes: Array(mislabelled.utf8)))
        let keyTwice = keyLines.joined(separator: "\n")
        variants.append(Variant(name: "key twice", bytes: Array(pem.replacingOccurrences(of: keyTwice, with: keyTwice + "\n" + keyTwice).utf8)))
        let invalidUTF8 = Array(pem.utf8.prefix(200)) + [0xFF, 0xFE] + Array(pem.utf8.dropFirst(200))
        variants.append(Variant(name: "invalid UTF-8 inside the key", bytes: invalidUTF8))
        return variants
    }
}
