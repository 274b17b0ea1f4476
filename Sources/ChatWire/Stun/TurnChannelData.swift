/// A TURN ChannelData message (RFC 8656 §12.4): application data on a bound channel, with a
/// 4-byte header instead of a STUN message's 36 bytes of Send or Data indication.
public struct TurnChannelData: Hashable, Sendable {
    /// The channel numbers a client may bind (RFC 8656 §12).
    public static let channelNumbers: ClosedRange<UInt16> = 0x4000...0x4FFF
    public static let headerLength = 4

    public let channel: UInt16
    public let data: [UInt8]

    /// nil for a channel number outside 0x4000-0x4fff or more data than a 16-bit length holds.
    public init?(channel: UInt16, data: [UInt8]) {
        guard Self.channelNumbers.contains(channel), data.count <= 0xFFFF else { return nil }
        self.channel = channel
        self.data = data
    }

    /// The message's bytes; over TCP (`padded`) the data is padded to 4 bytes, as RFC 8656 §12.5
    /// requires there.
    public func encoded(padded: Bool) -> [UInt8] {
        let header = [UInt8(channel >> 8), UInt8(channel & 0xFF), UInt8(data.count >> 8), UInt8(data.count & 0xFF)]
        let padding = padded ? (4 - data.count % 4) % 4 : 0
        return header + data + [UInt8](repeating: 0, count: padding)
    }

    /// The message in a UDP datagram, which may carry padding after the data but not less data
    /// than the length says.
    public static func parse(_ bytes: [UInt8]) throws(StunError) -> TurnChannelData {
        guard bytes.count >= headerLength else { throw .tooShort(bytes.count) }
        let channel = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        guard channelNumbers.contains(channel) else { throw .invalidChannelNumber(channel) }
        let length = Int(bytes[2]) << 8 | Int(bytes[3])
        guard length <= bytes.count - headerLength else { throw .lengthMismatch(declared: length, actual: bytes.count - headerLength) }
        return TurnChannelData(channel: channel, data: Array(bytes[headerLength..<headerLength + length]))!
    }
}
