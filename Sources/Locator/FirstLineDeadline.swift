import NIOCore

/// Closes a modern connection whose TLS handshake and first request line have not arrived
/// within the deadline, so a client that stops mid-handshake does not hold a connection slot
/// until the idle timeout. Removes itself at the first line.
final class FirstLineDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = String

    private let deadline: TimeAmount
    private var timer: Scheduled<Void>?

    init(deadline: TimeAmount) {
        self.deadline = deadline
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: deadline) { channel.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        timer?.cancel()
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
