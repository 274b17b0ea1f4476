import ChatWire
import Logging
import NIOCore
import Voice

extension ChatEngine {
    /// A call's UDP candidates around `socket`: its LAN addresses; and, when the locator offers a
    /// TURN relay, the address a STUN Binding to the relay saw (`direct`) and a relayed UDP
    /// allocation (`relayed`), gathered together. A relay that cannot be reached or refuses
    /// leaves the call to the paths that need none, and is said in the log.
    func gatherCallTransport(_ socket: MediaSocket, in scope: any WorkHost) async -> CallTransport {
        var candidates = lanCandidates(port: socket.port)
        guard let modern = session?.locator as? ModernLocatorClient else { return CallTransport(socket: socket, candidates: candidates, relay: nil) }
        let offer: TurnOffer?
        do {
            offer = try await modern.turnOffer()
        } catch {
            logger.notice("no TURN offer for the call", metadata: ["reason": "\(error)"])
            offer = nil
        }
        guard let offer, let server = try? SocketAddress.makeAddressResolvingHost(offer.host, port: offer.port) else {
            return CallTransport(socket: socket, candidates: candidates, relay: nil)
        }
        async let mapped = StunBinding.reflexiveAddress(of: socket, server: server)
        let relay: CallRelay?
        do {
            relay = try await CallRelay.allocate(at: server, credentials: TurnCredentials(offer), in: scope)
        } catch {
            logger.notice("the call has no TURN allocation", metadata: ["reason": "\(error)"])
            relay = nil
        }
        if let reflexive = await mapped, let candidate = PeerCandidate(kind: .direct, host: reflexive.host, port: Int(reflexive.port)) {
            candidates.append(candidate)
        }
        if let relayed = relay?.relayed, let candidate = PeerCandidate(kind: .relayed, host: relayed.host, port: Int(relayed.port)) {
            candidates.append(candidate)
        }
        return CallTransport(socket: socket, candidates: Array(candidates.prefix(Envelope.maxMediaCandidates)), relay: relay)
    }
}
