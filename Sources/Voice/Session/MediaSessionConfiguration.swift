/// How a media session encodes, buffers and probes; the defaults are what calls use.
public struct MediaSessionConfiguration: Sendable, Equatable {
    public var opus = OpusSettings()
    public var jitterBuffer = JitterBuffer.Configuration()
    /// How often a sealed ping measures the round-trip time.
    public var pingInterval: Duration = .seconds(1)
    /// Whether the microphone's frames are cleaned of the far end's echo (and of steady noise)
    /// before they are encoded: wanted with a speaker and a microphone in one room, pointless
    /// with a file as the source.
    public var echoCancellation = false
    /// For testing only: loss and delay applied to outgoing datagrams.
    public var impairment: NetworkImpairment?

    public init() {}
}
