extension FriendRequest {
    /// Who sent the request. The raw values are what the database stores.
    public enum Direction: String, Sendable, Hashable, CaseIterable {
        case incoming
        case outgoing
    }
}
