import NIOCore

/// The payload of a kind-1 frame: `u32 big-endian stream id | bytes`. The stream id, chosen by
/// the sender and announced in a control envelope first, tells the receiver which part (and which
/// transfer) the bytes belong to.
public struct StreamChunk: Sendable, Hashable {
    public var streamID: UInt32
    public var bytes: ByteBuffer

    public init(streamID: UInt32, bytes: ByteBuffer) {
        self.streamID = streamID
        self.bytes = bytes
    }

    /// Reads a chunk from a kind-1 payload; nil when it is too short to hold a stream id.
    public init?(payload: ByteBuffer) {
        var payload = payload
        guard let streamID = payload.readInteger(as: UInt32.self) else { return nil }
        self.init(streamID: streamID, bytes: payload)
    }

    /// The most bytes one chunk carries so that its frame stays within `Limits.maxFrameLength`.
    public static let maxBytes = Limits.maxFrameLength - 1 - 4

    /// Empties `payload` and starts it with `streamID`: a sender reads the bytes in after it, so
    /// that they go to TLS without being copied on the way.
    public static func start(_ payload: inout ByteBuffer, streamID: UInt32) {
        payload.clear()
        payload.writeInteger(streamID)
    }

    /// The frame payload: the stream id, then the bytes.
    public var payload: ByteBuffer {
        var out = ByteBuffer()
        out.reserveCapacity(4 + bytes.readableBytes)
        out.writeInteger(streamID)
        out.writeImmutableBuffer(bytes)
        return out
    }
}
