extension StunAttribute {
    /// Longest USERNAME value (RFC 8489 §14.3).
    static let maxUsernameBytes = 512
    /// Longest REALM, NONCE, SOFTWARE and ERROR-CODE reason: 128 characters of up to 6 bytes
    /// each, less 5, as RFC 8489 §14.5-14.9 bound them.
    static let maxTextBytes = 763

    /// The attribute of `type` with `value` (padding already removed), refused with a reason when
    /// its value breaks the attribute's rules.
    static func decode(type: UInt16, value: ArraySlice<UInt8>, transactionID: StunTransactionID) throws(StunError) -> StunAttribute {
        let bytes = Array(value)
        switch type {
        case StunAttributeType.mappedAddress:
            return .mappedAddress(try address(bytes, name: "MAPPED-ADDRESS"))
        case StunAttributeType.xorMappedAddress:
            return .xorMappedAddress(try address(bytes, name: "XOR-MAPPED-ADDRESS").xored(transactionID: transactionID))
        case StunAttributeType.xorRelayedAddress:
            return .xorRelayedAddress(try address(bytes, name: "XOR-RELAYED-ADDRESS").xored(transactionID: transactionID))
        case StunAttributeType.xorPeerAddress:
            return .xorPeerAddress(try address(bytes, name: "XOR-PEER-ADDRESS").xored(transactionID: transactionID))
        case StunAttributeType.username:
            return .username(try text(bytes, name: "USERNAME", maxBytes: maxUsernameBytes))
        case StunAttributeType.realm:
            return .realm(try text(bytes, name: "REALM", maxBytes: maxTextBytes))
        case StunAttributeType.nonce:
            return .nonce(try text(bytes, name: "NONCE", maxBytes: maxTextBytes))
        case StunAttributeType.software:
            return .software(try text(bytes, name: "SOFTWARE", maxBytes: maxTextBytes))
        case StunAttributeType.errorCode:
            return .errorCode(try errorCode(bytes))
        case StunAttributeType.unknownAttributes:
            guard bytes.count.isMultiple(of: 2) else {
                throw .malformedAttribute(name: "UNKNOWN-ATTRIBUTES", reason: "an odd length of \(bytes.count)")
            }
            return .unknownAttributes(stride(from: 0, to: bytes.count, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) })
        case StunAttributeType.lifetime:
            return .lifetime(try word(bytes, name: "LIFETIME"))
        case StunAttributeType.connectionID:
            return .connectionID(try word(bytes, name: "CONNECTION-ID"))
        case StunAttributeType.requestedTransport:
            let transport = try word(bytes, name: "REQUESTED-TRANSPORT")
            return .requestedTransport(UInt8(transport >> 24))
        case StunAttributeType.channelNumber:
            let channel = try word(bytes, name: "CHANNEL-NUMBER")
            let number = UInt16(channel >> 16)
            guard TurnChannelData.channelNumbers.contains(number) else { throw .invalidChannelNumber(number) }
            return .channelNumber(number)
        case StunAttributeType.data:
            return .data(bytes)
        default:
            return .other(type: type, value: bytes)
        }
    }

    /// The value's bytes, unpadded.
    func encodedValue(transactionID: StunTransactionID) -> [UInt8] {
        switch self {
        case .mappedAddress(let address):
            return Self.encode(address)
        case .xorMappedAddress(let address), .xorRelayedAddress(let address), .xorPeerAddress(let address):
            return Self.encode(address.xored(transactionID: transactionID))
        case .username(let text), .realm(let text), .nonce(let text), .software(let text):
            return Array(text.utf8)
        case .errorCode(let error):
            return [0, 0, UInt8(error.code / 100), UInt8(error.code % 100)] + Array(error.reason.utf8)
        case .unknownAttributes(let types):
            return types.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        case .lifetime(let value), .connectionID(let value):
            return Self.bytes(of: value)
        case .requestedTransport(let proto):
            return [proto, 0, 0, 0]
        case .channelNumber(let number):
            return [UInt8(number >> 8), UInt8(number & 0xFF), 0, 0]
        case .data(let bytes), .other(_, let bytes):
            return bytes
        }
    }

    static func bytes(of value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    private static func encode(_ address: StunAddress) -> [UInt8] {
        [0, address.family, UInt8(address.port >> 8), UInt8(address.port & 0xFF)] + address.addressBytes
    }

    private static func address(_ bytes: [UInt8], name: String) throws(StunError) -> StunAddress {
        guard bytes.count >= 4 else { throw .malformedAttribute(name: name, reason: "\(bytes.count) bytes, too short for an address") }
        let length: Int
        switch bytes[1] {
        case 0x01: length = 4
        case 0x02: length = 16
        default: throw .malformedAttribute(name: name, reason: "unknown address family \(bytes[1])")
        }
        guard bytes.count == 4 + length else {
            throw .malformedAttribute(name: name, reason: "\(bytes.count) bytes for an IPv\(length == 4 ? 4 : 6) address")
        }
        return StunAddress(addressBytes: Array(bytes[4...]), port: UInt16(bytes[2]) << 8 | UInt16(bytes[3]))!
    }

    private static func text(_ bytes: [UInt8], name: String, maxBytes: Int) throws(StunError) -> String {
        guard bytes.count <= maxBytes else { throw .malformedAttribute(name: name, reason: "\(bytes.count) bytes, more than \(maxBytes)") }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .malformedAttribute(name: name, reason: "not UTF-8") }
        return text
    }

    private static func word(_ bytes: [UInt8], name: String) throws(StunError) -> UInt32 {
        guard bytes.count == 4 else { throw .malformedAttribute(name: name, reason: "\(bytes.count) bytes instead of 4") }
        return bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static func errorCode(_ bytes: [UInt8]) throws(StunError) -> StunErrorCode {
        guard bytes.count >= 4 else { throw .malformedAttribute(name: "ERROR-CODE", reason: "\(bytes.count) bytes, too short") }
        let errorClass = Int(bytes[2] & 0x07)
        let number = Int(bytes[3])
        guard number < 100, let reasonText = String(validating: bytes[4...], as: UTF8.self),
              bytes.count - 4 <= maxTextBytes,
              let code = StunErrorCode(code: errorClass * 100 + number, reason: reasonText)
        else {
            throw .malformedAttribute(name: "ERROR-CODE", reason: "not a code from 300 to 699 with a UTF-8 reason")
        }
        return code
    }
}
