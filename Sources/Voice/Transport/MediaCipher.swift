import Crypto

/// Seals and opens media datagrams with ChaCha20-Poly1305 under the call's key.
///
/// A datagram is `version (1) | sequence (4, big-endian) | ciphertext | tag (16)`. The clear
/// header is authenticated; the nonce is the sender's direction and the sequence number, so
/// nothing on the wire repeats a nonce and a datagram cannot be reflected back to its sender.
struct MediaCipher {
    static let version: UInt8 = 1
    static let headerCount = 5
    static let overhead = headerCount + 16

    let key: MediaKey
    let role: MediaRole

    func seal(_ payload: MediaPayload, sequence: UInt32) -> [UInt8] {
        let header = [Self.version] + sequence.bigEndianBytes
        // Sealing only fails for a wrong-sized key or nonce, both fixed by construction.
        guard let box = try? ChaChaPoly.seal(payload.bytes, using: key.symmetricKey, nonce: nonce(role, sequence), authenticating: header) else {
            return []
        }
        return header + box.ciphertext + box.tag
    }

    /// The sequence number and payload of a datagram from the peer, or nil when it does not
    /// open under this key in the peer's direction (forged, corrupted, or from another call).
    func open(_ datagram: [UInt8]) -> (sequence: UInt32, payload: MediaPayload)? {
        guard datagram.count > Self.overhead, datagram[0] == Self.version,
            let sequence = UInt32(bigEndianBytes: datagram[1..<Self.headerCount]),
            let box = try? ChaChaPoly.SealedBox(
                nonce: nonce(role.peer, sequence),
                ciphertext: datagram[Self.headerCount..<(datagram.count - 16)],
                tag: datagram[(datagram.count - 16)...]),
            let plaintext = try? ChaChaPoly.open(box, using: key.symmetricKey, authenticating: datagram[0..<Self.headerCount]),
            let payload = MediaPayload(bytes: plaintext)
        else { return nil }
        return (sequence, payload)
    }

    private func nonce(_ direction: MediaRole, _ sequence: UInt32) -> ChaChaPoly.Nonce {
        // 12 bytes: direction, three zero bytes, then the sequence number as 64 bits.
        let bytes = [direction.rawValue, 0, 0, 0] + UInt64(sequence).bigEndianBytes
        // 12 bytes is the one size a ChaCha20-Poly1305 nonce has.
        return try! ChaChaPoly.Nonce(data: bytes)
    }
}
