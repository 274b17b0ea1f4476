import Logging
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stops accepting for a moment when the process is out of file descriptors (or memory for a
/// socket), instead of spinning.
///
/// Why not NIO's own `AcceptBackoffHandler`, which the bootstrap installs: a failed `accept`
/// leaves the server channel's read pending, so its socket stays registered for readability and
/// the event loop wakes at once, again and again (100% CPU), before that handler is asked to read.
/// Turning `autoRead` off takes the socket out of the poll set; turning it on again resumes.
final class AcceptPause: ChannelInboundHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    private let pause: TimeAmount
    private let logger: Logger
    private var paused = false

    init(pause: TimeAmount, logger: Logger) {
        self.pause = pause
        self.logger = logger
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let error = error as? IOError, [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(error.errnoCode) else {
            return context.fireErrorCaught(error)
        }
        guard !paused, let options = context.channel.syncOptions else { return }
        paused = true
        logger.warning(
            "out of file descriptors: not accepting for a moment",
            metadata: ["error": "\(error)", "pause": "\(pause)"])
        try? options.setOption(.autoRead, value: false)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: pause) {
            let (handler, context) = loopBound.value
            handler.paused = false
            try? context.channel.syncOptions?.setOption(.autoRead, value: true)
        }
    }
}
