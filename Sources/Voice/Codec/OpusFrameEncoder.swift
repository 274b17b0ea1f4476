@preconcurrency import COpus

/// One libopus encoder (`OpusEncoder *`), 48 kHz mono VOIP, wide band at most, freed with its owner.
public final class OpusFrameEncoder {
    private let handle: OpaquePointer

    public init(settings: OpusSettings = OpusSettings()) throws(OpusError) {
        var error: Int32 = OPUS_OK
        guard let encoder = opus_encoder_create(Int32(AudioFrame.sampleRate), 1, OPUS_APPLICATION_VOIP, &error),
            error == OPUS_OK
        else { throw OpusError("encoder creation", code: error) }
        handle = encoder
        for (name, result) in [
            ("bitrate", p2p_opus_set_bitrate(encoder, Int32(settings.bitrate))),
            ("in-band FEC", p2p_opus_set_inband_fec(encoder, 1)),
            ("bandwidth", p2p_opus_set_max_bandwidth_wide(encoder)),
            ("expected loss", p2p_opus_set_packet_loss_perc(encoder, Int32(settings.expectedLossPercent))),
            ("signal type", p2p_opus_set_signal_voice(encoder)),
            ("complexity", p2p_opus_set_complexity(encoder, Int32(settings.complexity))),
        ] where result != OPUS_OK {
            throw OpusError("setting the \(name)", code: result)
        }
    }

    deinit {
        opus_encoder_destroy(handle)
    }

    /// The encoder's lookahead: how much later than its input a decoded sample comes out.
    public var lookahead: Duration {
        .microseconds(Int(p2p_opus_lookahead(handle)) * 1_000_000 / AudioFrame.sampleRate)
    }

    /// The target bitrate, for a call that switches between its clean and protected settings.
    public func setBitrate(_ bitsPerSecond: Int) throws(OpusError) {
        let result = p2p_opus_set_bitrate(handle, Int32(bitsPerSecond))
        guard result == OPUS_OK else { throw OpusError("setting the bitrate", code: result) }
    }

    /// One Opus packet for a 20 ms frame.
    public func encode(_ frame: [Int16]) throws(OpusError) -> [UInt8] {
        precondition(frame.count == AudioFrame.samples, "a frame is \(AudioFrame.samples) samples")
        var packet = [UInt8](repeating: 0, count: 1276)
        let length = opus_encode(handle, frame, Int32(AudioFrame.samples), &packet, Int32(packet.count))
        guard length >= 0 else { throw OpusError("encoding", code: length) }
        packet.removeSubrange(Int(length)...)
        return packet
    }
}
