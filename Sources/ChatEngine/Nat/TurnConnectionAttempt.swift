import ChatWire

/// A peer connecting to our relayed TCP address (RFC 6062 §4.4): the relay holds the connection
/// until we bind it with `TurnClient.bind(_:)` within 30 s.
struct TurnConnectionAttempt: Sendable, Equatable {
    let connectionID: UInt32
    let peer: StunAddress
}
