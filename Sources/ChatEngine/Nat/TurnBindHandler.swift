import ChatWire
import NIOCore

/// The first handler of an RFC 6062 data connection: hands on the STUN responses to
/// ConnectionBind (a 438 with a nonce of this connection's own may come first) until one is a
/// success, after which the connection carries the peer's bytes as they are. Bytes that arrive
/// behind the success (a peer's TLS hello may) are held until the handler is removed, by which
/// time the handlers that read them (TLS) are in place behind it.
final class TurnBindHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    static let name = "turn-bind"

    private let responses: AsyncStream<ReceivedStunMessage>.Continuation
    private var buffer = ByteBuffer()
    private var bound = false

    init(responses: AsyncStream<ReceivedStunMessage>.Continuation) {
        self.responses = responses
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffer.writeBuffer(&bytes)
        while !bound,
              let length = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt16.self),
              let message = buffer.readBytes(length: StunMessage.headerLength + Int(length)) {
            do {
                let received = try StunMessage.parse(message)
                bound = received.message.type.messageClass == .successResponse
                responses.yield(received)
            } catch {
                responses.finish()
                context.close(promise: nil)
                return
            }
        }
        if bound { responses.finish() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        responses.finish()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        guard buffer.readableBytes > 0 else { return }
        context.fireChannelRead(wrapInboundOut(buffer))
        context.fireChannelReadComplete()
        buffer = ByteBuffer()
    }
}
