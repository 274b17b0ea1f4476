/// What a media session has measured so far, as `/call` shows it during a call.
public struct MediaStatistics: Sendable, Equatable {
    public var duration: Duration = .zero
    /// UDP payload bytes (sealed datagrams, before UDP/IP headers); sent counts those the
    /// test-only impairment dropped, as the network would have.
    public var bytesSent = 0
    public var bytesReceived = 0
    public var framesSent = 0
    /// Frames that arrived and opened (duplicates excluded).
    public var framesReceived = 0
    public var framesDecoded = 0
    /// Lost frames rebuilt from the next packet's forward error correction.
    public var framesRecovered = 0
    /// Lost frames played exactly from the copy the next datagram carried.
    public var framesFromCopies = 0
    /// Frames filled by Opus packet-loss concealment.
    public var framesConcealed = 0
    /// Frames that arrived after their turn to play.
    public var framesLate = 0
    /// Frames dropped to shrink the jitter buffer.
    public var framesDiscarded = 0
    /// Share of the peer's frames that never arrived, 0...1.
    public var loss = 0.0
    /// Share of this side's frames that the peer reports lost, 0...1, averaged over its last
    /// reports (one a second, each weighing half): the loss the other way, which decides
    /// whether this side sends copies of the previous frame.
    public var lossReportedByPeer = 0.0
    /// Whether this side's datagrams carry a copy of the previous frame now.
    public var sendingCopies = false
    public var jitter: Duration = .zero
    public var roundTripTime: Duration?
    public var jitterBufferDepth: Duration = .zero
    public var jitterBufferTarget: Duration = .zero
    /// Datagrams that did not open under the call's key (forged, corrupted, another call's).
    public var datagramsRejected = 0
    /// Datagrams that opened but were seen before or are too old to tell.
    public var datagramsReplayed = 0
    /// Outgoing datagrams the test-only impairment dropped.
    public var datagramsDropped = 0
    /// The audio source has ended (a WAV file played to its end).
    public var sourceEnded = false
    /// Whether the captured audio is cleaned of the peer's echo before it is sent.
    public var echoCancellation = false

    public init() {}

    public var sentKilobitsPerSecond: Double { Self.kilobitsPerSecond(bytesSent, duration) }
    public var receivedKilobitsPerSecond: Double { Self.kilobitsPerSecond(bytesReceived, duration) }

    private static func kilobitsPerSecond(_ bytes: Int, _ duration: Duration) -> Double {
        duration > .zero ? Double(bytes) * 8 / 1000 / duration.inSeconds : 0
    }
}
