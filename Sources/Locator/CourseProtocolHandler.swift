import ChatWire
import NIOCore

/// Serves a course-protocol connection on its event loop: each read is parsed in place, answered
/// from the presence table, and the reply (a preallocated buffer) written back. Nothing leaves the
/// event loop except a login's note to the watchers of that user.
///
/// Framing as the course server did it: every `\n`-terminated line of a `recv()` is one request,
/// and what is left at its end is one more. A `recv()` here is everything one wake-up of the event
/// loop read (several small reads when the bytes did not fit one receive buffer, so the buffer
/// each idle connection keeps can stay small). A request longer than the line limit is answered
/// as malformed, and the connection closed.
final class CourseProtocolHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let service: CourseService
    private let activity: ConnectionActivity
    private let host: String
    private let address: PeerAddress
    /// What this wake-up of the event loop has read so far.
    private var arriving: ByteBuffer?
    /// What arrived while a login waits for its turn; answered in order after it.
    private var held: CircularBuffer<ByteBuffer>?
    private var inputClosed = false

    /// How many reads may wait behind a delayed login before the connection counts as a flood.
    private static let mostHeldReads = 16

    init(service: CourseService, activity: ConnectionActivity, host: String) {
        self.service = service
        self.activity = activity
        self.host = host
        self.address = PeerAddress(host: host, port: nil, fingerprint: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if arriving == nil {
            arriving = buffer
        } else {
            arriving!.writeBuffer(&buffer)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        guard let buffer = arriving else { return }
        arriving = nil
        if held != nil {
            held!.append(buffer)
            if held!.count > Self.mostHeldReads { context.close(promise: nil) }
            return
        }
        serve(buffer, context: context)
    }

    private func serve(_ read: ByteBuffer, context: ChannelHandlerContext) {
        var buffer = read
        while buffer.readableBytes > 0 {
            let end = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? buffer.writerIndex
            let length = end - buffer.readerIndex
            guard length <= Limits.maxLineLength + 2 else {
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(CourseService.malformed)).whenComplete { _ in channel.close(promise: nil) }
                return
            }
            let request = buffer.readSlice(length: length)!  // within the readable bytes
            switch service.answer(request, from: host, activity: activity) {
            case .reply(let reply):
                context.write(wrapOutboundOut(reply), promise: nil)
            case .refuse:
                context.flush()
                context.close(promise: nil)
                return
            case .login(let name, let wait) where wait == .zero:
                service.logIn(name, at: address)
                context.write(wrapOutboundOut(CourseService.loggedIn), promise: nil)
            case .login(let name, let wait):
                context.flush()
                held = buffer.readableBytes > 0 ? [buffer] : []
                let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: wait) {
                    let (handler, context) = loopBound.value
                    handler.finishLogin(name, context: context)
                }
                return
            }
        }
        context.flush()
        if inputClosed { closeAfterReplies(context: context) }
    }

    private func finishLogin(_ name: String, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        service.logIn(name, at: address)
        context.write(wrapOutboundOut(CourseService.loggedIn), promise: nil)
        var waiting = held ?? []
        held = nil
        while let next = waiting.popFirst() {
            serve(next, context: context)
            if held != nil {
                // Another login is waiting for its turn: what is left waits behind it.
                held!.append(contentsOf: waiting)
                return
            }
        }
        context.flush()
        if inputClosed { closeAfterReplies(context: context) }
    }

    /// `printf q<id> | socat - TCP:…` sends its request and then shuts its side down: the replies
    /// still go out, then the connection closes.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case ChannelEvent.inputClosed = event else { return context.fireUserInboundEventTriggered(event) }
        channelReadComplete(context: context)
        inputClosed = true
        if held == nil { closeAfterReplies(context: context) }
    }

    private func closeAfterReplies(context: ChannelHandlerContext) {
        // Writes complete in order: when this empty one has, every reply before it has gone out.
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(ByteBuffer())).whenComplete { _ in channel.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
