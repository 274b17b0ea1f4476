import NIOCore

/// Splits a byte stream into `\n`-terminated UTF-8 lines (a `\r` before the `\n` is dropped).
///
/// A line longer than `maxLength` bytes is an error rather than something to buffer forever:
/// the decoder throws `LineTooLongError` as soon as it has seen that many bytes without a newline.
public struct LineFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = String

    public let maxLength: Int
    /// How far the previous call searched, so a slow trickle of bytes is not scanned again and again.
    private var scanned = 0

    public init(maxLength: Int = Limits.maxLineLength) {
        self.maxLength = maxLength
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let line = try nextLine(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A final line without its newline is dropped: the peer went away mid-request.
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    mutating func nextLine(from buffer: inout ByteBuffer) throws -> String? {
        let view = buffer.readableBytesView
        let start = view.index(view.startIndex, offsetBy: min(scanned, view.count))
        guard let newline = view[start...].firstIndex(of: UInt8(ascii: "\n")) else {
            scanned = view.count
            if view.count > maxLength + 1 { throw LineTooLongError(limit: maxLength) }
            return nil
        }
        scanned = 0
        var length = newline - view.startIndex
        guard length <= maxLength + 1 else { throw LineTooLongError(limit: maxLength) }
        var line = buffer.readSlice(length: length + 1)!  // the newline is inside the readable bytes
        if length > 0, line.getInteger(at: line.readerIndex + length - 1, as: UInt8.self) == UInt8(ascii: "\r") {
            length -= 1
        }
        guard length <= maxLength else { throw LineTooLongError(limit: maxLength) }
        return line.readString(length: length) ?? ""
    }
}

/// A line went past the limit before its newline.
public struct LineTooLongError: Error, Hashable, CustomStringConvertible {
    public var limit: Int
    public var description: String { "line longer than \(limit) bytes" }
}
