/// The type numbers of the attributes this codec knows (RFC 8489 §18.3, RFC 8656 §18, RFC 6062 §6.2).
/// Types below 0x8000 are comprehension-required: a receiver that does not know one must refuse
/// the message (RFC 8489 §15).
public enum StunAttributeType {
    public static let mappedAddress: UInt16 = 0x0001
    public static let username: UInt16 = 0x0006
    public static let messageIntegrity: UInt16 = 0x0008
    public static let errorCode: UInt16 = 0x0009
    public static let unknownAttributes: UInt16 = 0x000A
    public static let channelNumber: UInt16 = 0x000C
    public static let lifetime: UInt16 = 0x000D
    public static let xorPeerAddress: UInt16 = 0x0012
    public static let data: UInt16 = 0x0013
    public static let realm: UInt16 = 0x0014
    public static let nonce: UInt16 = 0x0015
    public static let xorRelayedAddress: UInt16 = 0x0016
    public static let requestedTransport: UInt16 = 0x0019
    public static let xorMappedAddress: UInt16 = 0x0020
    public static let connectionID: UInt16 = 0x002A
    public static let software: UInt16 = 0x8022
    public static let fingerprint: UInt16 = 0x8028

    public static func isComprehensionRequired(_ type: UInt16) -> Bool { type < 0x8000 }
}
