import ChatWire
import NIOCore
import NIOEmbedded
import Testing

/// `IdleStateHandler` measures with the real clock, so these tests send its events by hand.
@Suite("IdleCloser")
struct IdleCloserTests {
    private func makeChannel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: IdleCloser())
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8000)).wait()
        return channel
    }

    @Test(
        "an idle event closes the connection",
        arguments: [IdleStateHandler.IdleStateEvent.read, .write, .all])
    func closesWhenIdle(event: IdleStateHandler.IdleStateEvent) throws {
        let channel = try makeChannel()
        #expect(channel.isActive)
        channel.pipeline.fireUserInboundEventTriggered(event)
        #expect(!channel.isActive)
    }

    @Test("other events and data pass through, and the connection stays open")
    func passesOtherEventsOn() throws {
        let channel = try makeChannel()
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        try channel.writeInbound(ByteBuffer(string: "q2017011000"))
        #expect(channel.isActive)
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(string: "q2017011000"))
        _ = try channel.finish()
    }
}
