/// What travels inside a sealed datagram. Its kind goes in the clear header (authenticated, not
/// hidden: a datagram's size gives it away anyway), so the body carries no type byte.
enum MediaPayload: Equatable {
    /// One Opus packet. The datagram's sequence number is its frame number (20 ms frames from
    /// the start of the sender's stream), so the frame costs no bytes of its own.
    case audio(packet: [UInt8])
    /// One Opus packet and a copy of the packet of the frame before it, sent while the peer
    /// reports loss: a lost datagram's frame is then played exactly from the next one (as with
    /// RFC 2198 redundancy or Mumble's multi-frame packets).
    case audioWithPrevious(packet: [UInt8], previous: [UInt8])
    /// A round-trip probe carrying the sender's clock, which the pong returns unchanged, and the
    /// share of the peer's frames the sender lost lately, which tunes the peer's protection.
    case ping(nanoseconds: UInt64, lossPercent: UInt8)
    case pong(nanoseconds: UInt64)
    /// A connectivity check on one candidate path before the media starts (ICE's check, sealed
    /// under the call's key so that a stranger can neither confirm a path nor inject one): the
    /// receiver answers `probeAck` with the same token to the address the probe came from.
    case probe(token: UInt64)
    case probeAck(token: UInt64)

    enum Kind: UInt8 {
        case audio = 1, audioWithPrevious, ping, pong, probe, probeAck

        /// Audio, control and probe datagrams count their sequence numbers apart; the stream goes
        /// into the nonce so that no two share one.
        var stream: Stream {
            switch self {
            case .audio, .audioWithPrevious: .audio
            case .ping, .pong: .control
            case .probe, .probeAck: .probe
            }
        }
    }

    enum Stream: UInt8 {
        case audio = 0, control, probe
    }

    /// Probe-stream sequence numbers from this one up are the media session's answers to late
    /// probes; below it, the prober's own: the two never meet the same nonce.
    static let sessionProbeSequences: UInt32 = 0x8000_0000

    /// The longest packet a copy can carry: its length is one byte. Opus packets at call rates
    /// are about 40–100 bytes.
    static let maximumCopy = Int(UInt8.max)

    var kind: Kind {
        switch self {
        case .audio: .audio
        case .audioWithPrevious: .audioWithPrevious
        case .ping: .ping
        case .pong: .pong
        case .probe: .probe
        case .probeAck: .probeAck
        }
    }

    var body: [UInt8] {
        switch self {
        case .audio(let packet): packet
        case .audioWithPrevious(let packet, let previous): [UInt8(previous.count)] + previous + packet
        case .ping(let nanoseconds, let loss): nanoseconds.bigEndianBytes + [loss]
        case .pong(let nanoseconds): nanoseconds.bigEndianBytes
        case .probe(let token), .probeAck(let token): token.bigEndianBytes
        }
    }

    /// Nil for anything malformed; the caller counts it as rejected.
    init?(kind: Kind, body: some Collection<UInt8>) {
        let body = Array(body)
        switch kind {
        case .audio:
            guard !body.isEmpty else { return nil }
            self = .audio(packet: body)
        case .audioWithPrevious:
            guard let length = body.first.map(Int.init), length > 0, body.count > 1 + length else { return nil }
            self = .audioWithPrevious(packet: Array(body[(1 + length)...]), previous: Array(body[1...length]))
        case .ping:
            guard body.count == 9, let nanoseconds = UInt64(bigEndianBytes: body.prefix(8)), let loss = body.last, loss <= 100 else {
                return nil
            }
            self = .ping(nanoseconds: nanoseconds, lossPercent: loss)
        case .pong:
            guard body.count == 8, let nanoseconds = UInt64(bigEndianBytes: body) else { return nil }
            self = .pong(nanoseconds: nanoseconds)
        case .probe, .probeAck:
            guard body.count == 8, let token = UInt64(bigEndianBytes: body) else { return nil }
            self = kind == .probe ? .probe(token: token) : .probeAck(token: token)
        }
    }
}
