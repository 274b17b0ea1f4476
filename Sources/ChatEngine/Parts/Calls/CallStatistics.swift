/// What `/call` shows during a call.
public struct CallStatistics: Sendable, Equatable {
    public var peer: String
    /// Which way this side's media goes: `lan`, `direct`, `punched` or `relayed`.
    public var path: CallPath
    public var duration: Duration
    public var sentKilobitsPerSecond: Double
    public var receivedKilobitsPerSecond: Double
    /// Share of the peer's frames that never arrived, 0...1.
    public var loss: Double
    public var jitter: Duration
    /// Nil until the first ping came back.
    public var roundTripTime: Duration?
    public var jitterBufferDepth: Duration
    /// Whether this side's audio source has ended (a WAV file played to its end).
    public var sourceEnded: Bool
    /// Whether this side's microphone is cleaned of the peer's echo (ALSA capture, `/set aec on`).
    public var echoCancellation: Bool
}
