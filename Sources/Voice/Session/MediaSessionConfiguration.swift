/// How a media session encodes, buffers and probes; the defaults are what calls use.
public struct MediaSessionConfiguration: Sendable, Equatable {
    public var opus = OpusSettings()
    public var jitterBuffer = JitterBuffer.Configuration()
    /// How often a sealed ping measures the round-trip time.
    public var pingInterval: Duration = .seconds(1)
    /// For testing only: loss and delay applied to outgoing datagrams.
    public var impairment: NetworkImpairment?

    public init() {}
}
