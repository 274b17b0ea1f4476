import ChatWire

/// What an Allocate gave: the relayed address peers reach us at, our address as the relay sees
/// it (server-reflexive), and how long the allocation lasts without a Refresh.
struct TurnAllocation: Sendable, Equatable {
    let relayed: StunAddress
    let mapped: StunAddress?
    let lifetime: Duration
}
