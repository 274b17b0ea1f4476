/// Which way a call's media goes from this side, for `/call` and the `call_started` event.
public enum CallPath: String, Sendable, Equatable {
    /// To the friend's address on a network both are on.
    case lan
    /// To the friend's public address, with no NAT on either side.
    case direct
    /// Through a NAT on one side or both, whose hole the probes of both sides opened.
    case punched
    /// Through the TURN relay's UDP allocation: no hole opened within a second.
    case relayed
}
