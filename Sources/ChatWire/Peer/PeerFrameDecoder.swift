import NIOCore

/// Reads `PeerFrame`s. An oversized length is refused from the header alone, before any of the
/// payload is buffered, so a hostile peer cannot make us hold more than one frame's limit.
///
/// A frame that arrives in pieces (a file chunk always does: it spans many TLS records) is
/// gathered in a buffer of its own, of exactly its size, as the pieces come. Left in the
/// handler's cumulation instead, each piece would be copied there first, and the slices handed
/// on would share that buffer, so that making room in it copies it all again. The buffers of
/// large frames are used again once their reader has let go of them: fresh memory for every
/// chunk costs page faults, which cost more than the copy.
public struct PeerFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = PeerFrame

    public let maxFrameLength: Int

    /// The frame being gathered: its kind, and the payload so far, with room for the rest.
    private struct Partial {
        var kind: PeerFrame.Kind
        var payload: ByteBuffer
        var missing: Int
    }

    private var partial: Partial?

    /// The buffers of the last large frames handed on, oldest first; the oldest is filled again
    /// for the next one. Its reader has usually let go of it by then; if not, `ByteBuffer.clear`
    /// gives fresh memory rather than touch the reader's bytes. (At most this many frames' worth
    /// of memory stays with a connection after a transfer.)
    private var spares: [ByteBuffer] = []
    static let spareCount = 12
    /// Payloads from this size on are gathered in a spare.
    static let spareFrom = 64 * 1024

    public init(maxFrameLength: Int = Limits.maxFrameLength) {
        self.maxFrameLength = maxFrameLength
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try next(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    /// The next whole frame, taking what `buffer` holds of a frame still arriving into the
    /// decoder's own buffer; nil when more bytes are needed.
    mutating func next(from buffer: inout ByteBuffer) throws -> PeerFrame? {
        if var gathering = partial {
            // Out of `self` while it grows, so that the only reference writes in place.
            partial = nil
            let take = min(gathering.missing, buffer.readableBytes)
            var piece = buffer.readSlice(length: take)!  // take <= readableBytes
            gathering.payload.writeBuffer(&piece)
            gathering.missing -= take
            guard gathering.missing == 0 else {
                partial = gathering
                return nil
            }
            if gathering.payload.capacity >= Self.spareFrom { spares.append(gathering.payload) }
            return Self.frame(kind: gathering.kind, payload: gathering.payload)
        }
        guard let (length, kind) = try Self.header(in: buffer, maxFrameLength: maxFrameLength) else { return nil }
        if let frame = Self.wholeFrame(length: length, kind: kind, from: &buffer) { return frame }
        buffer.moveReaderIndex(forwardBy: 5)
        var payload = takeBuffer(capacity: length - 1)
        let missing = length - 1 - buffer.readableBytes
        payload.writeBuffer(&buffer)
        partial = Partial(kind: kind, payload: payload, missing: missing)
        return nil
    }

    /// An empty buffer for a payload of `capacity` bytes: a spare for a large one.
    private mutating func takeBuffer(capacity: Int) -> ByteBuffer {
        guard capacity >= Self.spareFrom, spares.count >= Self.spareCount else {
            return ByteBufferAllocator().buffer(capacity: capacity)
        }
        var spare = spares.removeFirst()
        spare.clear()
        spare.reserveCapacity(capacity)
        return spare
    }

    /// The codec itself, apart from the channel: consumes one whole frame or nothing.
    public static func nextFrame(from buffer: inout ByteBuffer, maxFrameLength: Int) throws -> PeerFrame? {
        guard let (length, kind) = try header(in: buffer, maxFrameLength: maxFrameLength) else { return nil }
        return wholeFrame(length: length, kind: kind, from: &buffer)
    }

    /// The frame whose header was read, if all of it is in `buffer`; consumes it then.
    private static func wholeFrame(length: Int, kind: PeerFrame.Kind, from buffer: inout ByteBuffer) -> PeerFrame? {
        guard buffer.readableBytes >= 4 + length else { return nil }
        buffer.moveReaderIndex(forwardBy: 5)
        return frame(kind: kind, payload: buffer.readSlice(length: length - 1)!)  // checked just above
    }

    /// The length and kind of the frame at the start of `buffer`, once its five header bytes are there.
    private static func header(in buffer: ByteBuffer, maxFrameLength: Int) throws -> (length: Int, kind: PeerFrame.Kind)? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self).map(Int.init) else { return nil }
        guard length <= maxFrameLength else { throw PeerFrameError.tooLarge(length: length, limit: maxFrameLength) }
        guard length > 0 else { throw PeerFrameError.empty }
        guard let kindByte = buffer.getInteger(at: buffer.readerIndex + 4, as: UInt8.self) else { return nil }
        guard let kind = PeerFrame.Kind(rawValue: kindByte) else { throw PeerFrameError.unknownKind(kindByte) }
        return (length, kind)
    }

    private static func frame(kind: PeerFrame.Kind, payload: ByteBuffer) -> PeerFrame {
        switch kind {
        case .envelope: .envelope(payload)
        case .chunk: .chunk(payload)
        }
    }
}
