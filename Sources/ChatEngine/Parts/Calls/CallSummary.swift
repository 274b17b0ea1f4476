/// The call in progress, for the prompt.
public struct CallSummary: Sendable, Equatable {
    public enum Phase: String, Sendable, Equatable {
        /// This side called; the peer's side rings.
        case calling
        /// The peer called; this side rings.
        case ringing
        case talking
        case hangingUp = "hanging up"
    }

    public var peer: String
    public var phase: Phase
}
