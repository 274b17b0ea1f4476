/// Which end of a call a session is. Both directions share the call's key, so the direction
/// goes into every nonce: the caller's datagram 7 and the callee's datagram 7 never share one.
public enum MediaRole: UInt8, Sendable {
    case caller = 0
    case callee = 1

    var peer: MediaRole { self == .caller ? .callee : .caller }
}
