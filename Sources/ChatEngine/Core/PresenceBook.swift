import ChatWire

/// Where watched users are, as the locator last said, and what the user was last told about
/// each friend, so that every change is announced exactly once whichever path notices it first
/// (a locator push, a new friendship, a removal).
struct PresenceBook {
    private(set) var addresses: [String: PeerAddress] = [:]
    /// Users the locator has told us about at least once this session.
    private var known: Set<String> = []
    /// Friends the user was told are online.
    private var announcedOnline: Set<String> = []
    /// The path the user was last told for each online friend.
    private var announcedPath: [String: PeerCandidate.Kind] = [:]

    func address(of peer: String) -> PeerAddress? {
        addresses[peer]
    }

    func isOnline(_ peer: String) -> Bool {
        addresses[peer] != nil
    }

    /// Whether the locator said `peer` is offline (not merely: has not said anything yet).
    func isKnownOffline(_ peer: String) -> Bool {
        known.contains(peer) && addresses[peer] == nil
    }

    /// Records what the locator said; returns whether `peer` came online with this update.
    mutating func record(_ peer: String, address: PeerAddress?) -> Bool {
        known.insert(peer)
        let wasOnline = addresses[peer] != nil
        addresses[peer] = address
        return !wasOnline && address != nil
    }

    mutating func forget(_ peer: String) {
        addresses[peer] = nil
        known.remove(peer)
        announcedOnline.remove(peer)
        announcedPath[peer] = nil
    }

    /// The presence to announce for `peer` now, or nil when the user already knows it.
    /// Only friends are announced; anyone else reads as not to be announced.
    /// `path` is the live connection's: an online friend is announced again when it opens on
    /// another path than the one last said (a connection closing is not news).
    mutating func announcement(for peer: String, isFriend: Bool, path: PeerCandidate.Kind? = nil) -> Bool? {
        let online = isFriend && addresses[peer] != nil
        if online, announcedOnline.contains(peer), let path, announcedPath[peer] != path {
            announcedPath[peer] = path
            return true
        }
        guard online != announcedOnline.contains(peer) else { return nil }
        announcedPath[peer] = online ? path : nil
        if online { announcedOnline.insert(peer) } else { announcedOnline.remove(peer) }
        // A friend nobody announced as online, going offline, needs no word either.
        return online || isFriend ? online : nil
    }
}
