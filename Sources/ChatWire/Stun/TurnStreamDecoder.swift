import NIOCore

/// Cuts a TCP byte stream from a TURN server into STUN messages and ChannelData. Both say their
/// length in their first four bytes, so nothing is buffered beyond one frame of at most 64 KiB
/// and a little; bytes that are neither (the first two bits 10 or 11, or a channel number no
/// client may bind) end the stream with an error rather than be skipped, since framing is lost.
public struct TurnStreamDecoder: ByteToMessageDecoder {
    public typealias InboundOut = TurnStreamFrame

    public init() {}

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try next(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    /// The next whole frame in `buffer`, consumed; nil when more bytes are needed.
    public mutating func next(from buffer: inout ByteBuffer) throws(StunError) -> TurnStreamFrame? {
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
              let length = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt16.self) else { return nil }
        switch first >> 14 {
        case 0b00:
            guard length % 4 == 0 else { throw .unalignedLength(Int(length)) }
            guard let bytes = buffer.readBytes(length: StunMessage.headerLength + Int(length)) else { return nil }
            return .message(try StunMessage.parse(bytes))
        case 0b01:
            guard TurnChannelData.channelNumbers.contains(first) else { throw .invalidChannelNumber(first) }
            let padded = (Int(length) + 3) / 4 * 4
            guard let bytes = buffer.readBytes(length: TurnChannelData.headerLength + padded) else { return nil }
            return .channelData(try TurnChannelData.parse(bytes))
        default:
            throw .notStun
        }
    }
}
