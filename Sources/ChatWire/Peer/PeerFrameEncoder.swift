import NIOCore

/// Writes `PeerFrame`s.
///
/// A large payload (a file chunk) goes down the pipeline as it is, after a buffer with its
/// five header bytes: copying half a megabyte behind a header would cost more than the extra
/// TLS record for the header does. Small frames go as one buffer.
public final class PeerFrameEncoder: ChannelOutboundHandler, Sendable {
    public typealias OutboundIn = PeerFrame
    public typealias OutboundOut = ByteBuffer

    /// Payloads from this size on are not copied behind their header.
    public static let separatePayloadSize = 16 * 1024

    public init() {}

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let frame = unwrapOutboundIn(data)
        if frame.payload.readableBytes >= Self.separatePayloadSize {
            var header = context.channel.allocator.buffer(capacity: 5)
            Self.writeHeader(of: frame, into: &header)
            context.write(wrapOutboundOut(header), promise: nil)
            context.write(wrapOutboundOut(frame.payload), promise: promise)
        } else {
            var out = context.channel.allocator.buffer(capacity: 5 + frame.payload.readableBytes)
            Self.write(frame, into: &out)
            context.write(wrapOutboundOut(out), promise: promise)
        }
    }

    /// Appends the whole frame, header and payload, to `out`.
    public static func write(_ frame: PeerFrame, into out: inout ByteBuffer) {
        var payload = frame.payload
        out.reserveCapacity(minimumWritableBytes: 5 + payload.readableBytes)
        writeHeader(of: frame, into: &out)
        out.writeBuffer(&payload)
    }

    private static func writeHeader(of frame: PeerFrame, into out: inout ByteBuffer) {
        out.writeInteger(UInt32(1 + frame.payload.readableBytes))
        out.writeInteger(frame.kind.rawValue)
    }
}
