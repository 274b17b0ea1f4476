import Crypto
import Foundation

/// The key under which the replicas of one service keep their shared TLS identity in the
/// database (`--store-key-file`). Every replica is given the same file; the database alone,
/// a dump or a backup of it, never holds the private key in clear.
///
/// The file's first line is the secret (at least 32 characters: `openssl rand -hex 32`); the
/// key is derived from it with HKDF-SHA256, and the identity sealed with ChaCha20-Poly1305.
public struct SharedIdentityKey: Sendable {
    public struct Error: Swift.Error, CustomStringConvertible {
        public let description: String
    }

    /// Fewer characters than this is not a key but a password, and no KDF makes it one.
    static let minimumLength = 32
    /// Bound to every sealed identity, so that nothing sealed for another purpose opens as one.
    private static let context = Data("p2pchat locator identity v1".utf8)

    private let key: SymmetricKey

    /// The key from `secret`'s bytes.
    public init(secret: some ContiguousBytes) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: secret), salt: Self.context, outputByteCount: 32)
    }

    /// The key in the first line of `path`, a file that no one but its owner may read. Its
    /// bytes never appear in an error.
    public static func read(from path: String) throws(Error) -> SharedIdentityKey {
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
                throw Error(description: "the key file \(path) may be read by others; chmod 600 it")
            }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as Error {
            throw error
        } catch {
            throw Error(description: "cannot read the key file \(path): \((error as NSError).localizedFailureReason ?? "no such file or not readable")")
        }
        let line = data.prefix { $0 != 0x0A && $0 != 0x0D }
        guard line.count >= minimumLength else {
            throw Error(description: "the key file \(path) needs at least \(minimumLength) characters on its first line (openssl rand -hex 32)")
        }
        return SharedIdentityKey(secret: Data(line))
    }

    func seal(_ plain: String) throws -> Data {
        try ChaChaPoly.seal(Data(plain.utf8), using: key, authenticating: Self.context).combined
    }

    /// The text sealed in `sealed`, or nil when this key did not seal it (or it was altered).
    func open(_ sealed: Data) -> String? {
        guard let box = try? ChaChaPoly.SealedBox(combined: sealed),
            let plain = try? ChaChaPoly.open(box, using: key, authenticating: Self.context)
        else { return nil }
        return String(data: plain, encoding: .utf8)
    }
}
