/// What travels inside a sealed datagram.
enum MediaPayload: Equatable {
    /// One Opus packet; `frame` counts 20 ms frames from the start of the sender's stream.
    case audio(frame: UInt32, packet: [UInt8])
    /// A round-trip probe carrying the sender's clock, which the pong returns unchanged, and the
    /// share of the peer's frames the sender lost lately, which tunes the peer's FEC.
    case ping(nanoseconds: UInt64, lossPercent: UInt8)
    case pong(nanoseconds: UInt64)

    private enum Kind: UInt8 {
        case audio = 1, ping, pong
    }

    var bytes: [UInt8] {
        switch self {
        case .audio(let frame, let packet): [Kind.audio.rawValue] + frame.bigEndianBytes + packet
        case .ping(let nanoseconds, let loss): [Kind.ping.rawValue] + nanoseconds.bigEndianBytes + [loss]
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
        case .ping:
            guard body.count == 9, let nanoseconds = UInt64(bigEndianBytes: body.prefix(8)), let loss = body.last, loss <= 100 else {
                return nil
            }
            self = .ping(nanoseconds: nanoseconds, lossPercent: loss)
        case .pong:
            guard body.count == 8, let nanoseconds = UInt64(bigEndianBytes: body) else { return nil }
            self = .pong(nanoseconds: nanoseconds)
        }
    }
}
