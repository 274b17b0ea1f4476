import ChatIdentity
import Logging

extension FriendsPart {
    /// The safety numbers of `peer`'s pinned key and of a new key they presented, with this user's own.
    func verification(of peer: String) async throws -> ChatEngine.Verification {
        guard let contact = try await store.contact(id: peer) else { throw FriendError.notFriend(peer) }
        return try verification(of: contact)
    }

    /// Marks `peer` verified; a new key they presented is the one the user compared, so it is pinned.
    func confirmVerification(of peer: String) async throws -> ChatEngine.Verification {
        guard let contact = try await store.contact(id: peer) else { throw FriendError.notFriend(peer) }
        let compared = contact.offeredFingerprint ?? contact.fingerprint
        guard try await store.confirmVerification(of: peer, fingerprint: compared),
            let confirmed = try await store.contact(id: peer)
        else {
            // The key changed again, or the friendship ended, since the line above.
            throw FriendError.keyChangedWhileVerifying(peer)
        }
        if contact.offeredFingerprint != nil {
            core.logger.notice("accepted a new key for a friend after comparing safety numbers", metadata: ["peer": "\(peer)"])
            // Messages that waited for the new key can go now.
            await core.retryAll()
        }
        return try verification(of: confirmed)
    }

    private func verification(of contact: Contact) throws -> ChatEngine.Verification {
        let mine = (user: user, fingerprint: core.fingerprint)
        func number(_ hex: String) throws -> SafetyNumber {
            guard let fingerprint = Fingerprint(hex: hex) else { throw FriendError.unreadableKey(contact.id) }
            return SafetyNumber(mine, (user: contact.id, fingerprint: fingerprint))
        }
        return ChatEngine.Verification(
            peer: contact.id, safetyNumber: try number(contact.fingerprint), verified: contact.verified,
            offered: try contact.offeredFingerprint.map(number))
    }
}
