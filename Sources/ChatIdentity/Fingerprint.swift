import Crypto

/// The identity of a peer: the SHA-256 of its certificate's DER-encoded SubjectPublicKeyInfo.
///
/// Hashing the public key rather than the whole certificate means a peer may re-issue its
/// self-signed certificate (new dates, new name) without its friends seeing a "changed identity";
/// only a new key changes the fingerprint.
public struct Fingerprint: Hashable, Sendable {
    /// The 32 bytes of the digest.
    public let bytes: [UInt8]

    /// The number of bytes in a SHA-256 digest.
    public static let byteCount = 32

    /// Hashes a DER-encoded SubjectPublicKeyInfo.
    public init(publicKeyDER: some Sequence<UInt8>) {
        self.bytes = Array(SHA256.hash(data: Array(publicKeyDER)))
    }

    /// Wraps a digest that is already known to be 32 bytes (from `init?(hex:)`).
    private init(digest: [UInt8]) {
        precondition(digest.count == Self.byteCount, "a fingerprint is \(Self.byteCount) bytes")
        self.bytes = digest
    }

    /// The wire form: 64 lowercase hexadecimal characters.
    public var hex: String {
        String(decoding: self.bytes.flatMap { Self.hexDigits(of: $0, uppercase: false) }, as: UTF8.self)
    }

    /// The form shown to people: uppercase, in 16 groups of 4 separated by spaces, so two
    /// fingerprints can be compared group by group (read aloud, or side by side).
    public var grouped: String {
        Self.group(self.bytes)
    }

    /// The first 4 groups of `grouped`: enough to tell friends apart in a list, not to authenticate.
    public var short: String {
        Self.group(self.bytes.prefix(8))
    }

    /// Parses the wire form. Upper and lower case are accepted; anything but exactly 64 hex digits
    /// (spaces, a `0x` prefix, signs, non-ASCII look-alikes) is rejected, because this parses
    /// what a locator or a file supplied.
    public init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == Self.byteCount * 2 else { return nil }
        var digest: [UInt8] = []
        digest.reserveCapacity(Self.byteCount)
        var index = 0
        while index < utf8.count {
            guard let high = Self.nibble(utf8[index]), let low = Self.nibble(utf8[index + 1]) else { return nil }
            digest.append(high << 4 | low)
            index += 2
        }
        self.init(digest: digest)
    }
}

extension Fingerprint: CustomStringConvertible {
    /// The grouped form: descriptions end up in front of people (logs, error messages).
    public var description: String { self.grouped }
}

extension Fingerprint {
    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func hexDigits(of byte: UInt8, uppercase: Bool) -> [UInt8] {
        let digits = Array((uppercase ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        return [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
    }

    /// Uppercase hex, a space after every 2 bytes (4 digits).
    private static func group(_ bytes: some Collection<UInt8>) -> String {
        var groups: [String] = []
        var current: [UInt8] = []
        for byte in bytes {
            current += Self.hexDigits(of: byte, uppercase: true)
            if current.count == 4 {
                groups.append(String(decoding: current, as: UTF8.self))
                current = []
            }
        }
        return groups.joined(separator: " ")
    }
}
