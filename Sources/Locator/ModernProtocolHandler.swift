import ChatWire
import Logging
import NIOCore

/// Serves a modern connection (behind TLS and the line framing) on its event loop.
///
/// `PING`, and `QUERY` once logged in, are answered here at once, from the presence table. The
/// requests that need the account store or the registry are answered by `ModernService` in a
/// task; the lines that arrive meanwhile wait, so replies keep the order of their requests.
/// Presence pushes are written whenever the registry sends them.
final class ModernProtocolHandler: ChannelInboundHandler {
    typealias InboundIn = String
    typealias OutboundOut = String

    private let service: ModernService
    private var state: ModernSession
    /// Set while a request is answered off the event loop (and while the session is opened).
    private var busy = true
    private var waiting = CircularBuffer<String>()
    /// The registry knows the session: closing it must wait for that.
    private var opened: EventLoopFuture<Void>?

    /// How many request lines may wait behind a slow one before the client counts as a flood.
    private static let mostWaitingLines = 64

    init(service: ModernService, host: String, activity: ConnectionActivity) {
        self.service = service
        self.state = ModernSession(host: host, session: service.newSessionID(), activity: activity)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        let registry = service.registry
        let session = state.session
        let promise = context.eventLoop.makePromise(of: Void.self)
        promise.completeWithTask {
            await registry.openSession(session) { push in
                let written = channel.writeAndFlush(push.rendered)
                if case .bye = push { written.whenComplete { _ in channel.close(promise: nil) } }
            }
        }
        opened = promise.futureResult
        whenDone(promise.futureResult, context: context) { handler, context, _ in
            handler.busy = false
            handler.answerWaiting(context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let registry = service.registry
        let session = state.session
        // A channel handler cannot await: this hop to the registry ends when the session is closed.
        opened?.whenComplete { _ in Task { await registry.closeSession(session) } }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = unwrapInboundIn(data)
        guard !busy else {
            waiting.append(line)
            if waiting.count > Self.mostWaitingLines { context.close(promise: nil) }
            return
        }
        answer(line, context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is LineTooLongError else {
            service.logger.debug("modern connection ended", metadata: ["host": "\(state.host)", "reason": "\(error)"])
            return context.close(promise: nil)
        }
        let reply = LocatorReply.error(LocatorError(.lineTooLong, "lines are limited to \(Limits.maxLineLength) bytes"))
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(reply.rendered)).whenComplete { _ in channel.close(promise: nil) }
    }

    private func answer(_ line: String, context: ChannelHandlerContext) {
        let request: LocatorRequest
        switch LocatorRequest.parse(line) {
        case .success(let parsed): request = parsed
        case .failure(let error): return write(.error(error), context: context)
        }
        state.activity.requestCompleted()
        switch request {
        case .ping(let token):
            write(.pong(token: token), context: context)
        case .query(let other) where state.user != nil:
            write(.user(other, service.registry.address(of: other)), context: context)
        default:
            busy = true
            state.activity.answerStarted()
            let service = service
            let before = state
            let promise = context.eventLoop.makePromise(of: (LocatorReply, ModernSession).self)
            promise.completeWithTask {
                var after = before
                let reply = await service.respond(to: request, in: &after)
                return (reply, after)
            }
            whenDone(promise.futureResult, context: context) { handler, context, result in
                handler.busy = false
                handler.state.activity.answerFinished()
                guard case .success(let (reply, after)) = result else { return context.close(promise: nil) }
                handler.state = after
                guard after.isFinished else {
                    handler.write(reply, context: context)
                    return handler.answerWaiting(context: context)
                }
                // LOGOUT: the reply, then the connection closes.
                let channel = context.channel
                context.writeAndFlush(handler.wrapOutboundOut(reply.rendered)).whenComplete { _ in channel.close(promise: nil) }
            }
        }
    }

    private func answerWaiting(context: ChannelHandlerContext) {
        while !busy, let line = waiting.popFirst() {
            answer(line, context: context)
        }
    }

    private func write(_ reply: LocatorReply, context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(reply.rendered), promise: nil)
    }

    /// Runs `body` on the event loop when `future` completes, while the connection is open.
    private func whenDone<Value: Sendable>(
        _ future: EventLoopFuture<Value>, context: ChannelHandlerContext,
        _ body: @escaping (ModernProtocolHandler, ChannelHandlerContext, Result<Value, any Error>) -> Void
    ) {
        let loopBound = NIOLoopBound((self, context, body), eventLoop: context.eventLoop)
        future.whenComplete { result in
            let (handler, context, body) = loopBound.value
            guard context.channel.isActive else { return }
            body(handler, context, result)
        }
    }
}
