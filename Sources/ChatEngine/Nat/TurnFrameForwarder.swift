import ChatWire
import NIOCore

/// The last handler of a TURN control connection: hands each frame to the client's stream and
/// ends the stream when the connection closes or its bytes stop making sense.
final class TurnFrameForwarder: ChannelInboundHandler {
    typealias InboundIn = TurnStreamFrame

    private let continuation: AsyncStream<TurnStreamFrame>.Continuation

    init(_ continuation: AsyncStream<TurnStreamFrame>.Continuation) {
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        continuation.yield(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish()
        context.close(promise: nil)
    }
}
