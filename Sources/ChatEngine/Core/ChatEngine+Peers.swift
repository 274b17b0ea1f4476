import ChatIdentity
import ChatWire
import Logging
import NIOCore

extension ChatEngine: PeerNodeDelegate {
    func authenticate(user peer: String, fingerprint presented: Fingerprint) async -> PeerNode.Verdict {
        guard peer != user else { return .refuse("a peer claimed to be me") }
        if let pinned = try? await store.pinnedFingerprint(of: peer) {
            guard pinned == presented.hex else {
                // Kept for `/verify`: the user may compare it with the friend and accept it.
                _ = try? await store.recordOfferedFingerprint(presented.hex, of: peer)
                warnChangedCertificate(peer, pinned: pinned, presented: presented.hex)
                return .refuse("certificate does not match the pinned one")
            }
            return .accept
        }
        if let expected = await partsExpectedFingerprint(of: peer) {
            // Not a friend, but a part knows the certificate (a fellow group member): it must match,
            // and so must the one the locator publishes.
            guard expected == presented.hex else {
                warnChangedCertificate(peer, pinned: expected, presented: presented.hex, asGroupMember: true)
                return .refuse("certificate does not match the one the group lists")
            }
            guard configuration.locatorMode == .modern, let session else { return .accept }
            if let published = try? await session.locator.query(peer)?.fingerprint, published != expected {
                warnChangedCertificate(peer, pinned: expected, presented: published, asGroupMember: true)
                return .refuse("the locator publishes another certificate for \(peer)")
            }
            return .accept
        }
        // A stranger (a friend request): the locator must vouch that this certificate is theirs.
        // The course protocol publishes no fingerprints, so there the first certificate is pinned.
        guard configuration.locatorMode == .modern else { return .accept }
        guard let session, let address = try? await session.locator.query(peer) else {
            return .refuse("\(peer) is not online at the locator")
        }
        guard address.fingerprint == presented.hex else {
            return .refuse("the certificate is not the one the locator publishes for \(peer)")
        }
        return .accept
    }

    nonisolated func peerConnected(_ connection: PeerConnection) async {
        await greet(connection.peer) { await $0.peerConnected(connection) }
    }

    nonisolated func peerDisconnected(_ connection: PeerConnection) async {
        for part in parts.all { await part.peerDisconnected(connection) }
    }

    nonisolated func peerMoved(from old: PeerConnection, to new: PeerConnection) async {
        await greet(new.peer) { await $0.peerMoved(from: old, to: new) }
    }

    /// A connection to `peer` is up: presence says so (with its path), and every part hears it
    /// through `tell`, all at once, so that one part sending a backlog holds up no other.
    private nonisolated func greet(_ peer: String, _ tell: @escaping @Sendable (any EnginePart) async -> Void) async {
        await announcePresence(of: peer)
        await withDiscardingTaskGroup { group in
            for part in parts.all {
                group.addTask { await tell(part) }
            }
        }
    }

    nonisolated func pathChanged(from old: PeerConnection, to new: PeerConnection) async {
        emit(.session(.pathChanged(user: new.peer, from: old.path, to: new.peerPath)))
    }

    nonisolated func listenerFailed(reason: String) async {
        emit(.session(.error("friends can no longer connect to you: the peer listener stopped (\(reason)); /logout and /login to start it again")))
    }

    /// Hands the envelope to the part that claims its `Type`, straight from the connection's
    /// task: the engine actor is not involved, so one busy part never holds up another.
    nonisolated func received(_ envelope: Envelope, on connection: PeerConnection) async {
        guard envelope.target == user else {
            logger.warning("dropped a frame for someone else", metadata: ["peer": "\(connection.peer)", "target": "\(envelope.target)"])
            return
        }
        guard let part = parts.part(handling: envelope.type) else {
            if envelope.type != .hello {
                logger.notice("dropped a frame of unknown type", metadata: ["peer": "\(connection.peer)", "type": "\(envelope.type)"])
            }
            return
        }
        do {
            try await part.received(envelope, on: connection)
        } catch ChannelError.ioOnClosedChannel, ChannelError.alreadyClosed {
            // The connection closed while the part answered (a logout, the peer went): no news for the
            // user, and the peer sends again what it got no answer to, on the next connection.
            logger.debug("a frame's answer found its connection closed", metadata: ["peer": "\(connection.peer)", "type": "\(envelope.type)"])
        } catch {
            logger.error("could not handle a frame", metadata: ["peer": "\(connection.peer)", "type": "\(envelope.type)", "error": "\(error)"])
            emit(.session(.error("could not handle \(envelope.type) from \(connection.peer): \(error)")))
        }
    }

    /// The live connection to `peer`, if there is one; never dials.
    func existingConnection(to peer: String) async -> PeerConnection? {
        await session?.node.connection(to: peer)
    }

    /// The live connection to `peer`, dialing it if needed with the certificate we expect.
    func reach(_ peer: String) async throws -> PeerConnection {
        let session = try requireSession()
        if let connection = await session.node.connection(to: peer) { return connection }
        let address: PeerAddress?
        if let known = session.presence.address(of: peer) {
            address = known
        } else {
            address = try await session.locator.query(peer)
        }
        guard let address else { throw EngineError.offline(peer) }
        guard let port = address.port else {
            throw EngineError.unreachable(peer, reason: "the locator knows no peer port for \(peer)")
        }
        let friendPin = try await store.pinnedFingerprint(of: peer)
        var pinned = friendPin
        if pinned == nil { pinned = await partsExpectedFingerprint(of: peer) }
        if let pinned, let published = address.fingerprint, published != pinned {
            if friendPin != nil { _ = try? await store.recordOfferedFingerprint(published, of: peer) }
            warnChangedCertificate(peer, pinned: pinned, presented: published, asGroupMember: friendPin == nil)
            throw EngineError.unreachable(peer, reason: "the locator publishes a different certificate than the one pinned")
        }
        let expected = (pinned ?? address.fingerprint).flatMap(Fingerprint.init(hex:))
        let candidates = await candidates(of: peer, at: address, port: port)
        do {
            return try await dial(peer, candidates: candidates, pin: expected.map { .expect($0) } ?? .trustOnFirstUse, node: session.node)
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError.unreachable(peer, reason: LocatorClient.Error.describe(error))
        }
    }

    /// The fingerprint the locator publishes for `peer` now: nil when they are offline, or with the
    /// course protocol, which publishes none.
    func publishedFingerprint(of peer: String) async -> String? {
        guard let session else { return nil }
        if let known = session.presence.address(of: peer)?.fingerprint { return known }
        return try? await session.locator.query(peer)?.fingerprint
    }

    /// The first fingerprint some part expects for `peer`, who is not a friend.
    func partsExpectedFingerprint(of peer: String) async -> String? {
        for part in parts.all {
            if let expected = await part.expectedFingerprint(of: peer) { return expected }
        }
        return nil
    }

    /// Like SSH's changed-host-key warning: loud, with both fingerprints, and nothing is sent.
    /// `asGroupMember`: the pin is the one a group announcement listed for a member who is no friend.
    nonisolated func warnChangedCertificate(_ peer: String, pinned: String, presented: String, asGroupMember: Bool = false) {
        let show = { (hex: String) in Fingerprint(hex: hex)?.grouped ?? hex }
        let source = asGroupMember ? "listed for them in your group" : "pinned when you became friends"
        let remedy = asGroupMember
            ? "if \(peer) really has a new identity, the group's owner must invite them again"
            : "compare safety numbers with \(peer) by voice or in person (/verify \(peer)); "
                + "if they match, accept the new key with /verify \(peer) confirmed"
        emit(.session(.securityWarning(
            "\(peer) presented a certificate that does not match the one \(source). "
                + "Someone may be impersonating \(peer), or \(peer) started a new identity. "
                + "Pinned: \(show(pinned)). Presented: \(show(presented)). Nothing was sent; \(remedy).")))
    }
}
