/// The 14-bit message type of a STUN header: a method's 12 bits with the class's 2 bits
/// interleaved between them, as RFC 8489 §5 draws it (C1 at bit 8, C0 at bit 4).
public struct StunMessageType: Hashable, Sendable, CustomStringConvertible {
    public var method: StunMethod
    public var messageClass: StunClass

    public init(_ method: StunMethod, _ messageClass: StunClass) {
        self.method = method
        self.messageClass = messageClass
    }

    /// The type in a header's first two bytes; nil when its top two bits are set (not STUN).
    public init?(rawValue: UInt16) {
        guard rawValue & 0xC000 == 0 else { return nil }
        let method = (rawValue & 0x000F) | ((rawValue & 0x00E0) >> 1) | ((rawValue & 0x3E00) >> 2)
        let classBits = ((rawValue & 0x0010) >> 4) | ((rawValue & 0x0100) >> 7)
        self.method = StunMethod(rawValue: method)!  // 12 bits by construction
        self.messageClass = StunClass(rawValue: classBits)!  // 2 bits: every value is a class
    }

    public var rawValue: UInt16 {
        let m = method.rawValue
        let c = messageClass.rawValue
        return (m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) | ((c & 1) << 4) | ((c & 2) << 7)
    }

    public var description: String {
        switch messageClass {
        case .request: "\(method) request"
        case .indication: "\(method) indication"
        case .successResponse: "\(method) success response"
        case .errorResponse: "\(method) error response"
        }
    }
}
