import NIOCore

/// Notes on a modern connection when a request line has started but not ended, so the sweep can
/// close a client that dribbles a line out byte by byte (a request must end within the request
/// timeout of its first byte). Sits between TLS and the line decoder and passes everything on.
final class PartialLineWatch: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let activity: ConnectionActivity

    init(activity: ConnectionActivity) {
        self.activity = activity
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        if buffer.readableBytes > 0, let last = buffer.getInteger(at: buffer.writerIndex - 1, as: UInt8.self) {
            activity.bytesArrived(endsRequest: last == UInt8(ascii: "\n"), at: .now())
        }
        context.fireChannelRead(data)
    }
}
