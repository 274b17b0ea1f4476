import ChatWire
import Logging

extension LocatorClient {
    static let courseIDRule = "the course protocol only knows ten-digit ids"

    /// The peer port of a course user, as in the original system: the last five digits of the
    /// id. `port` is nil when that number is not a port (0, or above 65535).
    nonisolated static func coursePeerPort(of id: String) -> (value: Int, port: Int?) {
        let value = Int(id.suffix(5)) ?? 0
        return (value, (1...65535).contains(value) ? value : nil)
    }

    /// A course user has no advertised port (`-`), but is reached at the port the id implies;
    /// filling it in lets the engine dial course users found through either protocol.
    nonisolated static func normalized(_ address: PeerAddress?, of user: String) -> PeerAddress? {
        guard var address, address.port == nil, UserName.isLegacyID(user) else { return address }
        address.port = coursePeerPort(of: user).port
        return address
    }

    /// `q<id>`: the user's address (with the port the id implies), or nil when offline.
    func courseLookup(_ user: String, on link: Link) async throws -> PeerAddress? {
        guard UserName.isLegacyID(user) else { throw Error.invalidUser(user, reason: Self.courseIDRule) }
        switch try await courseExchange(.query(id: user), on: link) {
        case .address(let host):
            let implied = Self.coursePeerPort(of: user)
            guard let port = implied.port else { throw Error.noPeerPort(user: user, implied: implied.value) }
            return PeerAddress(host: host, port: port, fingerprint: nil)
        case .offline:
            return nil
        case .incorrectNumber:
            throw Error.notOnRoster(user: user)
        case .malformed:
            throw Error.refused(LocatorError(.syntax, LegacyReply.malformed.rendered))
        case .loggedIn, .loggedOut:
            throw Error.protocolViolation("the answer to a course query is not an address")  // checked on arrival
        }
    }

    /// Queries each of `users` and reports the ones whose presence changed (all of them with
    /// `forceEmit`). Stops quietly when the connection goes: the next login polls afresh.
    func pollCourse(_ users: [String], forceEmit: Bool) async {
        for user in users {
            guard state == .online, linkReady, let link else { return }
            guard watched.contains(user) else { continue }
            let address: PeerAddress?
            do {
                address = try await courseLookup(user, on: link)
            } catch let error as Error {
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
            guard watched.contains(user), state == .online else { continue }
            if forceEmit || lastPresence[user] != .some(address) {
                lastPresence.updateValue(address, forKey: user)
                emit(.presence(user: user, address: address))
            }
        }
    }

    /// The course protocol has no push: watched users are queried every `pollInterval`.
    func pollLoop(_ id: Int) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: timing.pollInterval)
            guard let link, link.id == id, !Task.isCancelled else { return }
            guard state == .online else { continue }
            await pollCourse(watched.sorted(), forceEmit: false)
        }
    }
}
