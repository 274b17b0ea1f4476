import Crypto
import Foundation

/// The 256-bit ChaCha20-Poly1305 key of one call. Fresh for every call, never stored: a key
/// must not meet the same sequence numbers twice.
public struct MediaKey: Sendable {
    let symmetricKey: SymmetricKey

    public static let byteCount = 32

    /// A fresh random key, for the call offer or the answer.
    public static func random() -> MediaKey {
        MediaKey(symmetricKey: SymmetricKey(size: .bits256))
    }

    /// A key received from the peer (over the pinned TLS connection).
    public init(bytes: some Collection<UInt8>) throws(MediaSessionError) {
        guard bytes.count == Self.byteCount else { throw .invalidKey(byteCount: bytes.count) }
        symmetricKey = SymmetricKey(data: Array(bytes))
    }

    /// A key sent as base64 in a call envelope.
    public init(base64: String) throws(MediaSessionError) {
        guard let data = Data(base64Encoded: base64) else { throw .invalidKey(byteCount: 0) }
        try self.init(bytes: data)
    }

    /// The call's key when the offer and the answer each bring a fresh one: neither side alone
    /// chooses it, and both sides derive the same key whatever the order they learn them in.
    public init(offer: MediaKey, answer: MediaKey) {
        let material = SymmetricKey(data: offer.bytes + answer.bytes)
        symmetricKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: material, info: Array("p2pchat voice media".utf8), outputByteCount: Self.byteCount)
    }

    init(symmetricKey: SymmetricKey) {
        self.symmetricKey = symmetricKey
    }

    public var bytes: [UInt8] { symmetricKey.withUnsafeBytes { Array($0) } }

    public var base64: String { Data(bytes).base64EncodedString() }
}
