/// One attribute of a STUN message, decoded and checked. MESSAGE-INTEGRITY and FINGERPRINT are not
/// among them: they belong to the bytes of a message, not to its meaning, so
/// `StunMessage.encoded(integrity:fingerprint:)` adds them and `StunMessage.parse` checks them.
public enum StunAttribute: Hashable, Sendable {
    case mappedAddress(StunAddress)
    case xorMappedAddress(StunAddress)
    case username(String)
    case errorCode(StunErrorCode)
    case unknownAttributes([UInt16])
    case realm(String)
    case nonce(String)
    case software(String)
    /// TURN: seconds an allocation (or its refresh) lasts; 0 in a Refresh deletes it.
    case lifetime(UInt32)
    case xorRelayedAddress(StunAddress)
    case xorPeerAddress(StunAddress)
    case data([UInt8])
    /// TURN: the IP protocol number of the relayed transport (17 UDP, 6 TCP).
    case requestedTransport(UInt8)
    case channelNumber(UInt16)
    /// RFC 6062: the server's name for a relayed TCP connection, bound with ConnectionBind.
    case connectionID(UInt32)
    /// An attribute this codec does not decode, kept as it came.
    case other(type: UInt16, value: [UInt8])

    public static let udpTransport: UInt8 = 17
    public static let tcpTransport: UInt8 = 6

    public var type: UInt16 {
        switch self {
        case .mappedAddress: StunAttributeType.mappedAddress
        case .xorMappedAddress: StunAttributeType.xorMappedAddress
        case .username: StunAttributeType.username
        case .errorCode: StunAttributeType.errorCode
        case .unknownAttributes: StunAttributeType.unknownAttributes
        case .realm: StunAttributeType.realm
        case .nonce: StunAttributeType.nonce
        case .software: StunAttributeType.software
        case .lifetime: StunAttributeType.lifetime
        case .xorRelayedAddress: StunAttributeType.xorRelayedAddress
        case .xorPeerAddress: StunAttributeType.xorPeerAddress
        case .data: StunAttributeType.data
        case .requestedTransport: StunAttributeType.requestedTransport
        case .channelNumber: StunAttributeType.channelNumber
        case .connectionID: StunAttributeType.connectionID
        case .other(let type, _): type
        }
    }
}
