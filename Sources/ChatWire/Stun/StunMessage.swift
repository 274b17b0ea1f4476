/// A STUN message (RFC 8489): a type, a transaction id and attributes. TURN (RFC 8656, RFC 6062)
/// speaks in these too.
public struct StunMessage: Hashable, Sendable {
    public static let headerLength = 20
    public static let magicCookie: UInt32 = 0x2112_A442
    static let magicCookieBytes: [UInt8] = [0x21, 0x12, 0xA4, 0x42]
    /// What FINGERPRINT's CRC-32 is XORed with (RFC 8489 §14.7): "STUN" in ASCII.
    static let fingerprintXor: UInt32 = 0x5354_554E

    /// The keyed HMAC-SHA1 of MESSAGE-INTEGRITY: 20 bytes of MAC for the bytes given. ChatWire
    /// does not hash: the part that holds the key supplies this from swift-crypto
    /// (`StunCredentials` in the engine), which keeps ChatWire's dependencies to NIOCore.
    public typealias MAC = ([UInt8]) -> [UInt8]

    public var type: StunMessageType
    public var transactionID: StunTransactionID
    public var attributes: [StunAttribute]

    public init(type: StunMessageType, transactionID: StunTransactionID = .random(), attributes: [StunAttribute] = []) {
        self.type = type
        self.transactionID = transactionID
        self.attributes = attributes
    }

    /// The message's bytes: attributes padded to 4 bytes with zeros, then MESSAGE-INTEGRITY when
    /// `integrity` is given, then FINGERPRINT when asked. Each covers the header with the length
    /// it has once that attribute is added, as RFC 8489 §14.5 and §14.7 require. The lengths are
    /// 16 bits: a caller keeps each attribute, and the message, under 64 KiB (`maxLength`).
    public func encoded(integrity: MAC? = nil, fingerprint: Bool = false) -> [UInt8] {
        var body: [UInt8] = []
        for attribute in attributes {
            Self.append(type: attribute.type, value: attribute.encodedValue(transactionID: transactionID), to: &body)
        }
        if let integrity {
            let covered = header(bodyLength: body.count + 24) + body
            Self.append(type: StunAttributeType.messageIntegrity, value: integrity(covered), to: &body)
        }
        if fingerprint {
            let covered = header(bodyLength: body.count + 8) + body
            let crc = CRC32.checksum(covered) ^ Self.fingerprintXor
            Self.append(type: StunAttributeType.fingerprint, value: StunAttribute.bytes(of: crc), to: &body)
        }
        return header(bodyLength: body.count) + body
    }

    func header(bodyLength: Int) -> [UInt8] {
        let type = type.rawValue
        return [UInt8(type >> 8), UInt8(type & 0xFF), UInt8(truncatingIfNeeded: bodyLength >> 8), UInt8(truncatingIfNeeded: bodyLength)]
            + Self.magicCookieBytes + transactionID.bytes
    }

    private static func append(type: UInt16, value: [UInt8], to body: inout [UInt8]) {
        body += [UInt8(type >> 8), UInt8(type & 0xFF), UInt8(truncatingIfNeeded: value.count >> 8), UInt8(truncatingIfNeeded: value.count)]
        body += value
        body += [UInt8](repeating: 0, count: (4 - value.count % 4) % 4)
    }
}
