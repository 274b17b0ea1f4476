/// What travels inside a sealed datagram.
enum MediaPayload: Equatable {
    /// One Opus packet; `frame` counts 20 ms frames from the start of the sender's stream.
    case audio(frame: UInt32, packet: [UInt8])
    /// A round-trip probe carrying the sender's clock, which the pong returns unchanged.
    case ping(nanoseconds: UInt64)
    case pong(nanoseconds: UInt64)

    private enum Kind: UInt8 {
        case audio = 1, ping, pong
    }

    var bytes: [UInt8] {
        switch self {
        case .audio(let frame, let packet): [Kind.audio.rawValue] + frame.bigEndianBytes + packet
        case .ping(let nanoseconds): [Kind.ping.rawValue] + nanoseconds.bigEndianBytes
        case .pong(let nanoseconds): [Kind.pong.rawValue] + nanoseconds.bigEndianBytes
        }
    }

    /// Nil for anything malformed; the caller counts it as rejected.
    init?(bytes: some Collection<UInt8>) {
        let bytes = Array(bytes)
        guard let first = bytes.first, let kind = Kind(rawValue: first) else { return nil }
        let body = bytes.dropFirst()
        switch kind {
        case .audio:
            guard body.count > 4, let frame = UInt32(bigEndianBytes: body.prefix(4)) else { return nil }
            self = .audio(frame: frame, packet: Array(body.dropFirst(4)))
        case .ping, .pong:
            guard body.count == 8, let nanoseconds = UInt64(bigEndianBytes: body) else { return nil }
            self = kind == .ping ? .ping(nanoseconds: nanoseconds) : .pong(nanoseconds: nanoseconds)
        }
    }
}
