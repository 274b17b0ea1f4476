extension StunMessage {
    /// The longest STUN message: a 20-byte header and a 16-bit length.
    public static let maxLength = headerLength + 0xFFFF

    /// The message in `bytes`, which must hold exactly one. Malformed input is refused with the
    /// first thing wrong; a FINGERPRINT that does not match is refused too. MESSAGE-INTEGRITY is
    /// kept for the caller, who holds the key, to check (`ReceivedStunMessage.isAuthentic`).
    /// Attributes after MESSAGE-INTEGRITY other than FINGERPRINT are ignored (RFC 8489 §14.5).
    public static func parse(_ bytes: [UInt8]) throws(StunError) -> ReceivedStunMessage {
        guard bytes.count >= headerLength else { throw .tooShort(bytes.count) }
        guard let type = StunMessageType(rawValue: UInt16(bytes[0]) << 8 | UInt16(bytes[1])) else { throw .notStun }
        guard Array(bytes[4..<8]) == magicCookieBytes else { throw .wrongMagicCookie }
        let length = Int(bytes[2]) << 8 | Int(bytes[3])
        guard length.isMultiple(of: 4) else { throw .unalignedLength(length) }
        guard length == bytes.count - headerLength else { throw .lengthMismatch(declared: length, actual: bytes.count - headerLength) }
        let transactionID = StunTransactionID(bytes: Array(bytes[8..<20]))!  // 12 bytes

        var attributes: [StunAttribute] = []
        var integrity: (offset: Int, mac: [UInt8])?
        var offset = headerLength
        while offset < bytes.count {
            // Every attribute starts on a 4-byte boundary and the length is a multiple of 4, so a header fits.
            let type = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
            let valueLength = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let valueStart = offset + 4
            let next = valueStart + (valueLength + 3) / 4 * 4
            guard next <= bytes.count else { throw .attributeOverrun(type: type) }
            let value = bytes[valueStart..<valueStart + valueLength]

            if type == StunAttributeType.fingerprint {
                guard valueLength == 4 else { throw .malformedAttribute(name: "FINGERPRINT", reason: "\(valueLength) bytes instead of 4") }
                guard next == bytes.count else { throw .malformedAttribute(name: "FINGERPRINT", reason: "not the last attribute") }
                var covered = Array(bytes[..<offset])
                covered[2] = UInt8(length >> 8)
                covered[3] = UInt8(length & 0xFF)
                let expected = CRC32.checksum(covered) ^ fingerprintXor
                guard value.reduce(UInt32(0), { $0 << 8 | UInt32($1) }) == expected else { throw .fingerprintMismatch }
            } else if integrity != nil {
                // Ignored: an attacker may append anything after the MAC.
            } else if type == StunAttributeType.messageIntegrity {
                guard valueLength == 20 else { throw .malformedAttribute(name: "MESSAGE-INTEGRITY", reason: "\(valueLength) bytes instead of 20") }
                integrity = (offset, Array(value))
            } else {
                attributes.append(try StunAttribute.decode(type: type, value: value, transactionID: transactionID))
            }
            offset = next
        }

        let message = StunMessage(type: type, transactionID: transactionID, attributes: attributes)
        guard let integrity else { return ReceivedStunMessage(message: message, integrity: nil) }
        // The MAC covers the message up to itself, with a length that ends just after it.
        var covered = Array(bytes[..<integrity.offset])
        let coveredLength = integrity.offset + 24 - headerLength
        covered[2] = UInt8(coveredLength >> 8)
        covered[3] = UInt8(coveredLength & 0xFF)
        return ReceivedStunMessage(message: message, integrity: .init(coveredBytes: covered, mac: integrity.mac))
    }
}
