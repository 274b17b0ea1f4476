/// Why a call ended (or never started), as `call_ended` reports it.
public enum CallEndReason: String, Sendable, Equatable {
    /// This side hung up.
    case hungUp = "hung up"
    /// The peer hung up.
    case peerHungUp = "peer hung up"
    case rejected
    case busy
    /// Nobody answered within the ring time.
    case noAnswer = "no answer"
    /// The caller gave up before this side answered.
    case missed
    /// The caller hung up while it was still ringing.
    case cancelled
    /// The connection to the peer dropped.
    case peerDisconnected = "peer disconnected"
    /// The audio device or the media failed.
    case failed
    case loggedOut = "logged out"
}
