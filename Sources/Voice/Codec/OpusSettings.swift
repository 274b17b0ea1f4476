/// How calls use Opus: 48 kHz mono 20 ms frames, tuned for voice, with in-band forward error
/// correction so that a lost frame can be rebuilt from the next datagram.
public struct OpusSettings: Sendable, Equatable {
    /// Target bitrate of the audio alone, before encryption and headers.
    public var bitrate = 24_000
    /// The loss the encoder plans its FEC for at first; at 0 Opus sends no FEC at all. A media
    /// session then follows the loss its peer reports.
    public var expectedLossPercent = 10
    /// 0...10; 10 is the best quality, still far below real time on one core.
    public var complexity = 10

    public init() {}

    public init(bitrate: Int, expectedLossPercent: Int = 10, complexity: Int = 10) {
        self.bitrate = bitrate
        self.expectedLossPercent = expectedLossPercent
        self.complexity = complexity
    }
}
