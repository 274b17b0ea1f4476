/// Why bytes that claimed to be STUN (or TURN ChannelData) were refused. Each says in one line
/// what was wrong, never echoing more than a short name of what the sender sent.
public enum StunError: Error, Hashable, Sendable, CustomStringConvertible {
    case tooShort(Int)
    case notStun
    case wrongMagicCookie
    case lengthMismatch(declared: Int, actual: Int)
    case unalignedLength(Int)
    case attributeOverrun(type: UInt16)
    case malformedAttribute(name: String, reason: String)
    case fingerprintMismatch
    case invalidChannelNumber(UInt16)

    public var description: String {
        switch self {
        case .tooShort(let count):
            "STUN message too short: \(count) bytes, a header alone is 20"
        case .notStun:
            "not a STUN message: the first two bits must be zero"
        case .wrongMagicCookie:
            "not a STUN message: wrong magic cookie"
        case .lengthMismatch(let declared, let actual):
            "STUN message length \(declared) does not match the \(actual) bytes after the header"
        case .unalignedLength(let length):
            "STUN message length \(length) is not a multiple of 4"
        case .attributeOverrun(let type):
            "STUN attribute 0x\(String(type, radix: 16).leftPadded(to: 4)) runs past the end of the message"
        case .malformedAttribute(let name, let reason):
            "STUN attribute \(name) is malformed: \(reason)"
        case .fingerprintMismatch:
            "STUN FINGERPRINT does not match the message"
        case .invalidChannelNumber(let number):
            "TURN channel number 0x\(String(number, radix: 16)) is outside 0x4000-0x4fff"
        }
    }
}
