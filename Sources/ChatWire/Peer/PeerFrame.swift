import NIOCore

/// One frame between peers: `u32 big-endian length | u8 kind | payload`, the length counting
/// the kind byte and the payload.
public enum PeerFrame: Sendable, Hashable {
    /// Kind 0: a JSON `Envelope`, UTF-8.
    case envelope(ByteBuffer)
    /// Kind 1: raw bytes of a file being transferred.
    case chunk(ByteBuffer)

    public enum Kind: UInt8, Sendable {
        case envelope = 0
        case chunk = 1
    }

    public var kind: Kind {
        switch self {
        case .envelope: .envelope
        case .chunk: .chunk
        }
    }

    public var payload: ByteBuffer {
        switch self {
        case .envelope(let payload), .chunk(let payload): payload
        }
    }
}

/// Why a peer's byte stream could not be framed; the connection is closed with this logged.
public enum PeerFrameError: Error, Hashable, CustomStringConvertible {
    case tooLarge(length: Int, limit: Int)
    case empty
    case unknownKind(UInt8)

    public var description: String {
        switch self {
        case .tooLarge(let length, let limit): "peer frame of \(length) bytes is over the \(limit)-byte limit"
        case .empty: "peer frame without a kind byte"
        case .unknownKind(let kind): "peer frame of unknown kind \(kind)"
        }
    }
}
