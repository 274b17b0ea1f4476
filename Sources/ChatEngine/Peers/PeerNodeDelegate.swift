import ChatIdentity
import ChatWire

/// What the node asks of the engine: who may connect, and what to do with what arrives.
protocol PeerNodeDelegate: AnyObject, Sendable {
    /// Decides whether a peer that claims `user` and presented `fingerprint` is who it says.
    func authenticate(user: String, fingerprint: Fingerprint) async -> PeerNode.Verdict
    func peerConnected(_ connection: PeerConnection) async
    func peerDisconnected(_ connection: PeerConnection) async
    /// `old`, a relayed connection, closed after `new` took it over (hole punching worked).
    func peerMoved(from old: PeerConnection, to new: PeerConnection) async
    /// `new` took over from `old`, a relayed connection to the same peer (hole punching worked).
    func pathChanged(from old: PeerConnection, to new: PeerConnection) async
    /// One envelope whose `Source` is the connection's peer. Called in arrival order per connection.
    func received(_ envelope: Envelope, on connection: PeerConnection) async
    /// The listener stopped accepting connections before the node was stopped.
    func listenerFailed(reason: String) async
}
