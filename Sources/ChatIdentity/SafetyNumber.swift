import Crypto

/// The number two friends read to each other to check that each holds the other's real key,
/// made as Signal makes its safety numbers: each side's user id and fingerprint hashed 5,200
/// times with SHA-512, the first 30 bytes of each turned into six 5-digit groups, and the two
/// halves put in a fixed order, so that both friends see the same 60 digits.
///
/// The repeated hashing makes a key whose number matches another's much more costly to find
/// than a key whose short fingerprint matches.
public struct SafetyNumber: Hashable, Sendable, CustomStringConvertible {
    /// The 60 digits, without spaces.
    public let digits: String

    static let version: UInt16 = 0
    static let iterations = 5_200

    public init(_ one: (user: String, fingerprint: Fingerprint), _ other: (user: String, fingerprint: Fingerprint)) {
        let halves = [Self.half(one.user, one.fingerprint), Self.half(other.user, other.fingerprint)].sorted()
        digits = halves.joined()
    }

    /// The digits in twelve groups of five, for reading aloud.
    public var grouped: String {
        let characters = Array(digits)
        return stride(from: 0, to: characters.count, by: 5).map { String(characters[$0..<$0 + 5]) }.joined(separator: " ")
    }

    public var description: String { grouped }

    /// 30 digits for one side.
    private static func half(_ user: String, _ fingerprint: Fingerprint) -> String {
        let versionBytes = [UInt8(version >> 8), UInt8(version & 0xFF)]
        var digest = Array(SHA512.hash(data: versionBytes + fingerprint.bytes + Array(user.utf8)))
        for _ in 1..<iterations {
            var hasher = SHA512()
            hasher.update(data: digest)
            hasher.update(data: fingerprint.bytes)
            digest = Array(hasher.finalize())
        }
        return (0..<6).map { chunk in
            let value = digest[chunk * 5..<chunk * 5 + 5].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let number = String(value % 100_000)
            return String(repeating: "0", count: 5 - number.count) + number
        }.joined()
    }
}
