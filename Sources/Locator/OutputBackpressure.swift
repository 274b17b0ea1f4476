import NIOCore

/// Stops reading from a connection while its replies are not going out.
///
/// A client that sends requests and never reads the replies would otherwise make the locator
/// queue replies without limit (hundreds of MB a second). When the unsent output rises above the
/// channel's high-water mark the channel turns unwritable: from then on the read that NIO asks
/// for after each wake-up is held back, so the client's requests stay in the kernel's buffers
/// (and then in the client's), and resumes once the output has drained below the low mark.
/// Each wake-up's read is bounded, so so are the replies it can add above the mark.
///
/// It sits first in the pipeline, below TLS, so it throttles both protocols alike, and notes on
/// the connection's activity since when it has been stuck, for the sweep.
final class OutputBackpressure: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Above `high` bytes of unsent output a connection stops being read; below `low` it resumes.
    static let waterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 32 * 1024, high: 64 * 1024)

    private let activity: ConnectionActivity
    private let trim: MemoryTrim
    private var readHeldBack = false
    private var wasStalled = false

    init(activity: ConnectionActivity, trim: MemoryTrim) {
        self.activity = activity
        self.trim = trim
    }

    func read(context: ChannelHandlerContext) {
        guard context.channel.isWritable else {
            readHeldBack = true
            return
        }
        context.read()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            activity.outputDrained()
            if readHeldBack {
                readHeldBack = false
                context.read()
            }
        } else {
            wasStalled = true
            activity.outputStalled(at: .now())
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        // Its queued replies are freed now; malloc keeps the pages unless asked to give them back.
        if wasStalled { trim.stalledConnectionClosed() }
        context.fireChannelInactive()
    }
}
