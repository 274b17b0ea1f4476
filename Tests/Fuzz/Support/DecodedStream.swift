import NIOCore

/// What a decoder made of a stream delivered in pieces: the messages it passed on, and whether it
/// stopped with an error. Two deliveries of the same bytes must give the same.
public struct DecodedStream<Message: Equatable>: Equatable {
    public var messages: [Message] = []
    public var failed = false

    /// Delivers `pieces` one read at a time as NIO's `ByteToMessageHandler` does: each read is added
    /// to what is left of the earlier ones, and `next` is asked for messages until it wants more
    /// bytes. The decoder is called directly, not through a channel: a channel per input would
    /// cost most of the fuzzer's time.
    public init(pieces: [[UInt8]], next: (inout ByteBuffer) throws -> Message?) {
        var buffer = ByteBuffer()
        for piece in pieces {
            buffer.writeBytes(piece)
            do {
                while let message = try next(&buffer) { messages.append(message) }
            } catch {
                failed = true
                return
            }
        }
    }
}

extension FuzzInput {
    /// What `decode` makes of the body in one read, once it is checked to be the same in pieces.
    public func decodedAlike<Message>(_ decode: ([[UInt8]]) -> DecodedStream<Message>) -> DecodedStream<Message> {
        let whole = decode([body])
        require(decode(pieces) == whole, "the messages depend on how the bytes were split")
        return whole
    }
}
