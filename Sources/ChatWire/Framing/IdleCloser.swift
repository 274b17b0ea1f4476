import NIOCore

/// Closes the connection when an `IdleStateHandler` in front of it reports an idle period.
public final class IdleCloser: ChannelInboundHandler {
    public typealias InboundIn = NIOAny

    public init() {}

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
