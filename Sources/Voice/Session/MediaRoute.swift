import NIOCore

/// Which way a call's sealed datagrams go to the peer: straight from the call's socket to an
/// address that answered a probe (same LAN, direct, or through a punched NAT hole), or handed
/// to a relay (a TURN allocation) when no hole opened. Datagrams from the peer are taken from
/// either way whatever this one is, so the two sides need not pick the same.
public enum MediaRoute: Sendable {
    case socket(to: SocketAddress)
    /// `send` hands each sealed datagram to the relay; it must not block.
    case relay(send: @Sendable ([UInt8]) -> Void)
}
