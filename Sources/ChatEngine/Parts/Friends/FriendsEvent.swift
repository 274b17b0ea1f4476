/// What the friends part tells the user.
public enum FriendsEvent: Sendable, Equatable {
    case request(from: String, fingerprint: String)
    case added(id: String)
    /// The friend removed this user.
    case removed(id: String)
}
