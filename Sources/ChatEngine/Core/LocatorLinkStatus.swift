/// The locator connection of a session, as the user was told of it.
enum LocatorLinkStatus: Equatable {
    case up
    /// Lost; the locator client reconnects by itself.
    case lost
    /// Logged in again at another replica, `.connected` not yet seen: announced as a move.
    case moved(to: String)
}
