import ChatWire
import Logging
import NIOCore
import Synchronization
import Voice

/// A call's TURN UDP allocation (RFC 8656), for when no hole opens between the friends: its
/// relayed address goes into the call offer or answer as a `relayed` candidate, and when the
/// media takes the relay, each sealed datagram goes to the friend's relayed address in a Send
/// indication and the friend's come back in Data indications. The relay sees only sealed
/// datagrams.
///
/// Everything runs in the login session's tree: the control connection's reader from the
/// allocation on, and while the call lasts the refreshes, the permission renewals and the two
/// pumps. `free()` deletes the allocation (a Refresh of 0) and closes the connection; a logout
/// cancels it all, and the relay frees what the closed connection held.
final class CallRelay: Sendable {
    let relayed: StunAddress
    private let client: TurnClient
    private let lifetime: Duration
    private let reader: SessionWork
    private let serving = Mutex<SessionWork?>(nil)
    private let outgoing: AsyncStream<[UInt8]>
    private let outgoingContinuation: AsyncStream<[UInt8]>.Continuation

    private init(relayed: StunAddress, client: TurnClient, lifetime: Duration, reader: SessionWork) {
        self.relayed = relayed
        self.client = client
        self.lifetime = lifetime
        self.reader = reader
        // Media: if the relay falls behind, the newest datagrams are the ones worth sending.
        (outgoing, outgoingContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(64))
    }

    /// Connects to the relay at `server` and allocates a relayed UDP address under `credentials`.
    static func allocate(at server: SocketAddress, credentials: TurnCredentials, in scope: any WorkHost) async throws -> CallRelay {
        let client = try await TurnClient.connect(to: server, credentials: credentials, timeout: .seconds(3))
        let reader = scope.start { await client.run() }
        do {
            let allocation = try await client.allocate(transport: StunAttribute.udpTransport)
            return CallRelay(relayed: allocation.relayed, client: client, lifetime: allocation.lifetime, reader: reader)
        } catch {
            await client.close()
            reader.cancel()
            throw error
        }
    }

    /// Lets `peer`'s IP address send to our relayed address (and our datagrams reach it).
    func permit(_ peer: StunAddress) async throws {
        try await client.createPermission(for: [peer])
    }

    /// Where the media session hands its datagrams when the call goes through the relay.
    var route: MediaRoute {
        .relay(send: { [outgoingContinuation] datagram in outgoingContinuation.yield(datagram) })
    }

    /// For the rest of the call, in `scope`: refreshes the allocation and `peer`'s permission,
    /// sends what `route` is given to `peer`, and hands `session` every datagram the relay
    /// brings (the friend may send through it whichever way ours go).
    func serve(_ session: MediaSession, peer: StunAddress?, in scope: any WorkHost, logger: Logger) {
        let client = client, lifetime = lifetime, outgoing = outgoing
        let work = scope.start {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    do {
                        try await client.maintain(lifetime: lifetime, permissions: peer.map { [$0] } ?? [])
                    } catch {
                        if !Task.isCancelled { logger.warning("the call's TURN allocation was lost", metadata: ["reason": "\(error)"]) }
                    }
                }
                group.addTask {
                    for await (_, bytes) in client.peerData { session.receiveRelayed(bytes) }
                }
                if let peer {
                    group.addTask {
                        for await datagram in outgoing {
                            do {
                                try await client.send(datagram, to: peer)
                            } catch {
                                logger.debug("a call datagram did not go through the relay", metadata: ["reason": "\(error)"])
                            }
                        }
                    }
                }
            }
        }
        serving.withLock { $0 = work }
    }

    /// Deletes the allocation and closes the connection to the relay; the call is over.
    func free() async {
        outgoingContinuation.finish()
        _ = try? await client.refresh(lifetime: .zero)
        await client.close()
        serving.withLock { $0 }?.cancel()
        reader.cancel()
    }
}
