import ChatWire
import Logging

extension CourseLocatorClient {
    /// `q<id>`: the user's address (with the port the id implies), or nil when offline.
    func lookup(_ user: String, on link: LocatorLink) async throws -> PeerAddress? {
        guard UserName.isLegacyID(user) else { throw LocatorClientError.invalidUser(user, reason: CourseID.rule) }
        switch try await exchange(.query(id: user), on: link) {
        case .address(let host):
            let implied = CourseID.peerPort(of: user)
            guard let port = implied.port else { throw LocatorClientError.noPeerPort(user: user, implied: implied.value) }
            return PeerAddress(host: host, port: port, fingerprint: nil)
        case .offline:
            return nil
        case .incorrectNumber:
            throw LocatorClientError.notOnRoster(user: user)
        case .malformed:
            throw LocatorClientError.refused(LocatorError(.syntax, LegacyReply.malformed.rendered))
        case .loggedIn, .loggedOut:
            throw LocatorClientError.protocolViolation("the answer to a course query is not an address")  // checked on arrival
        }
    }

    /// Logged in (again): every watched user gets a fresh `.presence`.
    func didComeOnline() async {
        lastPresence = [:]
        await poll(state.watched.sorted(), forceEmit: true)
    }

    /// The course protocol has no push: watched users are queried every `pollInterval`.
    func whileLinked(_ id: Int) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: timing.pollInterval)
            guard let link = state.link, link.id == id, !Task.isCancelled else { return }
            guard state.phase == .online else { continue }
            await poll(state.watched.sorted(), forceEmit: false)
        }
    }

    /// Queries each of `users` and reports the ones whose presence changed (all of them with
    /// `forceEmit`). Stops quietly when the connection goes: the next login polls afresh.
    func poll(_ users: [String], forceEmit: Bool) async {
        for user in users {
            guard state.phase == .online, state.linkReady, let link = state.link else { return }
            guard state.watched.contains(user) else { continue }
            let address: PeerAddress?
            do {
                address = try await lookup(user, on: link)
            } catch let error as LocatorClientError {
                switch error {
                case .noPeerPort, .notOnRoster:
                    // Nobody can reach them: as good as offline. Said once, not every poll.
                    if unreachableWarned.insert(user).inserted {
                        logger.warning("watched course user cannot be reached", metadata: ["reason": "\(error)"])
                    }
                    address = nil
                default:
                    logger.debug("course poll interrupted", metadata: ["reason": "\(error)"])
                    return
                }
            } catch {
                logger.debug("course poll interrupted", metadata: ["reason": "\(error)"])
                return
            }
            // Unwatched or stopped while the answer was on its way.
            guard state.watched.contains(user), state.phase == .online else { continue }
            if forceEmit || lastPresence[user] != .some(address) {
                lastPresence.updateValue(address, forKey: user)
                emit(.presence(user: user, address: address))
            }
        }
    }
}
