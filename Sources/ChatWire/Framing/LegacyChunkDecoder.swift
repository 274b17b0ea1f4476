import NIOCore

/// Frames the course protocol, which has no terminator: a request is what one `send()` carried.
///
/// Every complete `\n`-terminated line of a read is one request (so `printf 'q..\nq..\n' | nc` works),
/// and whatever is left at the end of the read is one more request. This is how the course server
/// behaved: it answered each `recv()`. A request longer than `maxLength` bytes is an error.
public struct LegacyChunkDecoder: ByteToMessageDecoder {
    public typealias InboundOut = String

    public let maxLength: Int

    public init(maxLength: Int = Limits.maxLineLength) {
        self.maxLength = maxLength
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let request = try nextRequest(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(request))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    /// The next request of what one read brought; nil once all of it has been handed on.
    func nextRequest(from buffer: inout ByteBuffer) throws -> String? {
        guard buffer.readableBytes > 0 else { return nil }
        let view = buffer.readableBytesView
        let end = view.firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? view.endIndex
        let length = end - view.startIndex
        guard length <= maxLength + 2 else { throw LineTooLongError(limit: maxLength) }
        var request = buffer.readSlice(length: length)!  // within the readable bytes
        return request.readString(length: request.readableBytes) ?? ""
    }
}
