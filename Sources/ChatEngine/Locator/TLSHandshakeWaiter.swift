import NIOCore
import NIOSSL
import NIOTLS

/// Completes `promise` when the TLS handshake has finished, or fails it with the first error (a
/// `PinMismatchError` when it sits behind `addPinnedTLSClientHandlers`), the connection closing,
/// or `timeout`. The client learns and checks the locator's identity before it sends a password.
final class TLSHandshakeWaiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    struct Timeout: Error, CustomStringConvertible {
        var description: String { "the TLS handshake did not finish in time" }
    }

    private let promise: EventLoopPromise<Void>
    private let timeout: TimeAmount
    private var scheduledTimeout: Scheduled<Void>?
    private var done = false

    init(promise: EventLoopPromise<Void>, timeout: TimeAmount) {
        self.promise = promise
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let waiter = NIOLoopBound(self, eventLoop: context.eventLoop)
        let channel = context.channel
        scheduledTimeout = context.eventLoop.scheduleTask(in: timeout) {
            waiter.value.finish(.failure(Timeout()))
            channel.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish(.failure(ChannelError.ioOnClosedChannel))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            finish(.success(()))
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(error))
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(ChannelError.eof))
        context.fireChannelInactive()
    }

    private func finish(_ result: Result<Void, any Error>) {
        guard !done else { return }
        done = true
        scheduledTimeout?.cancel()
        promise.completeWith(result)
    }
}
