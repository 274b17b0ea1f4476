import Crypto
import Foundation
import _CryptoExtras

/// scrypt password hashes, stored as `scrypt$<N>$<r>$<p>$<salt hex>$<hash hex>` so the cost can
/// rise later without invalidating old accounts.
public struct PasswordHasher: Sendable {
    public var costExponent: Int
    public var blockSize: Int
    public var parallelism: Int

    /// N = 2^15, r = 8, p = 1: about 32 MiB and tens of milliseconds a login.
    public init(costExponent: Int = 15, blockSize: Int = 8, parallelism: Int = 1) {
        self.costExponent = costExponent
        self.blockSize = blockSize
        self.parallelism = parallelism
    }

    public func hash(_ password: String) throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = generator.next() }
        let rounds = 1 << costExponent
        let key = try derive(password, salt: salt, rounds: rounds, blockSize: blockSize, parallelism: parallelism)
        return ["scrypt", String(rounds), String(blockSize), String(parallelism), salt.hexString, key.hexString]
            .joined(separator: "$")
    }

    /// Whether `password` matches `stored`; a malformed stored hash never matches.
    public func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "scrypt",
            let rounds = Int(parts[1]), let blockSize = Int(parts[2]), let parallelism = Int(parts[3]),
            let salt = [UInt8](hex: parts[4]), let expected = [UInt8](hex: parts[5]),
            let actual = try? derive(password, salt: salt, rounds: rounds, blockSize: blockSize, parallelism: parallelism)
        else { return false }
        // Constant time: the comparison must not reveal how many leading bytes matched.
        guard actual.count == expected.count else { return false }
        return zip(actual, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func derive(_ password: String, salt: [UInt8], rounds: Int, blockSize: Int, parallelism: Int) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.utf8), salt: salt, outputByteCount: 32,
            rounds: rounds, blockSize: blockSize, parallelism: parallelism)
        return key.withUnsafeBytes { Array($0) }
    }
}

extension Array where Element == UInt8 {
    var hexString: String {
        map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    init?(hex: some StringProtocol) {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        self = bytes
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
