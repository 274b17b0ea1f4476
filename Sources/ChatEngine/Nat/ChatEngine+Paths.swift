extension ChatEngine {
    /// How the live connection to `peer` travels (`lan`, `direct`, `punched` or `relayed`, with its round
    /// trip); nil while there is none.
    public func path(to peer: String) async -> PeerPath? {
        await existingConnection(to: peer)?.peerPath
    }
}
