import ChatWire
import Logging

extension ChatEngine {
    /// Whether the locator says `peer` is online right now.
    func isOnline(_ peer: String) -> Bool {
        session?.presence.isOnline(peer) ?? false
    }

    /// Whether the locator said `peer` is offline (and we have no connection to them either).
    func isKnownOffline(_ peer: String) async -> Bool {
        guard session?.presence.isKnownOffline(peer) == true else { return false }
        return await existingConnection(to: peer) == nil
    }

    /// Tells the user `peer`'s presence if it differs from what they were last told. Every
    /// presence event comes from here, so each change is said once.
    func announcePresence(of peer: String) async {
        let isFriend = (try? await store.contact(id: peer)) != nil
        let path = await existingConnection(to: peer)?.peerPath
        var online: Bool?
        updateSession { online = $0.presence.announcement(for: peer, isFriend: isFriend, path: path?.kind) }
        if let online { emit(.session(.presence(user: peer, online: online, path: online ? path : nil))) }
    }

    func follow(_ updates: AsyncStream<LocatorClient.Update>) async {
        for await update in updates {
            switch update {
            case .connected:
                // The first connection is announced by `loggedIn`; this tells of a reconnect, in
                // one line: back at the same replica, or now at another.
                switch session?.locatorLink {
                case .lost: emit(.session(.locator(connected: true, detail: "reconnected to the locator")))
                case .moved(let address): emit(.session(.locatorMoved(address: address)))
                case .up, nil: break
                }
                updateSession { $0.locatorLink = .up }
            case .moved(let address):
                updateSession { $0.locatorLink = .moved(to: address) }
            case .disconnected(let reason):
                updateSession { $0.locatorLink = .lost }
                emit(.session(.locator(connected: false, detail: reason)))
            case .replicaRefused(let warning):
                emit(.session(.securityWarning(warning)))
            case .presence(let user, let address):
                await presenceChanged(user, address: address)
            case .failed(let reason):
                emit(.session(.error(reason)))
                await logout()
                return
            }
        }
    }

    private func presenceChanged(_ peer: String, address: PeerAddress?) async {
        var cameOnline = false
        updateSession { cameOnline = $0.presence.record(peer, address: address) }
        await announcePresence(of: peer)
        guard address != nil else { return }
        if cameOnline { logger.debug("peer online", metadata: ["peer": "\(peer)"]) }
        for part in parts.all { await part.peerOnline(peer) }
    }
}
