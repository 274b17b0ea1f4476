/// How calls use Opus: 48 kHz mono 20 ms frames, tuned for voice and limited to wide band (audio
/// up to 8 kHz, as in wideband telephony), which puts every bit where speech is.
///
/// A call has two settings: one for a clean path, and a protected one for while the peer
/// reports loss, when each datagram also carries a copy of the frame before it (see
/// `MediaPayload.audioWithPrevious`) and the two copies share the budget.
public struct OpusSettings: Sendable, Equatable {
    /// Target bitrate of the audio alone, before encryption and headers, on a clean path.
    public var bitrate = 24_000
    /// Target bitrate while protected: every packet goes out twice, so this is about half the
    /// budget of 40 kbit/s a direction, less the datagrams' overhead.
    public var protectedBitrate = 17_000
    /// The loss Opus plans its in-band FEC for; at 0 it sends no FEC at all. Copies of the
    /// previous frame protect better for the same bits, so calls leave it at 0.
    public var expectedLossPercent = 0
    /// 0...10; 10 is the best quality, still far below real time on one core.
    public var complexity = 10

    public init() {}

    public init(bitrate: Int, protectedBitrate: Int = 17_000, expectedLossPercent: Int = 0, complexity: Int = 10) {
        self.bitrate = bitrate
        self.protectedBitrate = protectedBitrate
        self.expectedLossPercent = expectedLossPercent
        self.complexity = complexity
    }
}
