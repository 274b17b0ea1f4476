import NIOCore

/// Reads `PeerFrame`s. An oversized length is refused from the header alone, before any of the
/// payload is buffered, so a hostile peer cannot make us hold more than one frame's limit.
public struct PeerFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = PeerFrame

    public let maxFrameLength: Int

    public init(maxFrameLength: Int = Limits.maxFrameLength) {
        self.maxFrameLength = maxFrameLength
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try Self.nextFrame(from: &buffer, maxFrameLength: maxFrameLength) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    /// The codec itself, apart from the channel: consumes one whole frame or nothing.
    public static func nextFrame(from buffer: inout ByteBuffer, maxFrameLength: Int) throws -> PeerFrame? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self).map(Int.init) else { return nil }
        guard length <= maxFrameLength else { throw PeerFrameError.tooLarge(length: length, limit: maxFrameLength) }
        guard length > 0 else { throw PeerFrameError.empty }
        guard buffer.readableBytes >= 4 + length else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        let kindByte: UInt8 = buffer.readInteger()!  // length > 0 bytes are readable
        let payload = buffer.readSlice(length: length - 1)!
        switch PeerFrame.Kind(rawValue: kindByte) {
        case .envelope: return .envelope(payload)
        case .chunk: return .chunk(payload)
        case nil: throw PeerFrameError.unknownKind(kindByte)
        }
    }
}

/// Writes `PeerFrame`s.
public struct PeerFrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = PeerFrame

    public init() {}

    public func encode(data frame: PeerFrame, out: inout ByteBuffer) throws {
        Self.write(frame, into: &out)
    }

    public static func write(_ frame: PeerFrame, into out: inout ByteBuffer) {
        var payload = frame.payload
        out.reserveCapacity(minimumWritableBytes: 5 + payload.readableBytes)
        out.writeInteger(UInt32(1 + payload.readableBytes))
        out.writeInteger(frame.kind.rawValue)
        out.writeBuffer(&payload)
    }
}
