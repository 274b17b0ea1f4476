@preconcurrency import COpus

/// One libopus decoder (`OpusDecoder *`), 48 kHz mono, freed with its owner.
public final class OpusFrameDecoder {
    private let handle: OpaquePointer

    public init() throws(OpusError) {
        var error: Int32 = OPUS_OK
        guard let decoder = opus_decoder_create(Int32(AudioFrame.sampleRate), 1, &error), error == OPUS_OK else {
            throw OpusError("decoder creation", code: error)
        }
        handle = decoder
    }

    deinit {
        opus_decoder_destroy(handle)
    }

    /// The frame a packet carries. A packet from a peer can be malformed: that throws.
    public func decode(_ packet: [UInt8]) throws(OpusError) -> [Int16] {
        try decode(packet, forwardErrorCorrection: false)
    }

    /// The frame *before* `next`, rebuilt from the redundancy Opus put in `next`
    /// (plain concealment when `next` carries none).
    public func recover(from next: [UInt8]) throws(OpusError) -> [Int16] {
        try decode(next, forwardErrorCorrection: true)
    }

    /// A frame of packet-loss concealment: Opus extrapolates from what it decoded last.
    public func conceal() -> [Int16] {
        var frame = AudioFrame.silence
        let decoded = opus_decode(handle, nil, 0, &frame, Int32(AudioFrame.samples), 0)
        return decoded == AudioFrame.samples ? frame : AudioFrame.silence
    }

    private func decode(_ packet: [UInt8], forwardErrorCorrection: Bool) throws(OpusError) -> [Int16] {
        var frame = AudioFrame.silence
        let decoded = opus_decode(
            handle, packet, Int32(packet.count), &frame, Int32(AudioFrame.samples), forwardErrorCorrection ? 1 : 0)
        guard decoded >= 0 else { throw OpusError("decoding", code: decoded) }
        guard decoded == AudioFrame.samples else { throw OpusError("decoding", code: OPUS_INVALID_PACKET) }
        return frame
    }
}
