/// The method of a STUN message (RFC 8489 §5): what is asked or told. TURN (RFC 8656) and its
/// TCP allocations (RFC 6062) add their own; any other 12-bit value is kept, not refused, so that
/// a reply can name it.
public struct StunMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16

    /// nil above the 12 bits a method has.
    public init?(rawValue: UInt16) {
        guard rawValue <= 0xFFF else { return nil }
        self.rawValue = rawValue
    }

    private init(_ value: UInt16) { rawValue = value }

    public static let binding = StunMethod(0x001)
    public static let allocate = StunMethod(0x003)
    public static let refresh = StunMethod(0x004)
    public static let send = StunMethod(0x006)
    public static let data = StunMethod(0x007)
    public static let createPermission = StunMethod(0x008)
    public static let channelBind = StunMethod(0x009)
    public static let connect = StunMethod(0x00A)
    public static let connectionBind = StunMethod(0x00B)
    public static let connectionAttempt = StunMethod(0x00C)

    private static let names: [UInt16: String] = [
        0x001: "Binding", 0x003: "Allocate", 0x004: "Refresh", 0x006: "Send", 0x007: "Data",
        0x008: "CreatePermission", 0x009: "ChannelBind", 0x00A: "Connect", 0x00B: "ConnectionBind",
        0x00C: "ConnectionAttempt",
    ]

    public var description: String {
        Self.names[rawValue] ?? "method 0x\(String(rawValue, radix: 16))"
    }
}
