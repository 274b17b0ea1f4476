/// Where a locator client is in its life, in either dialect.
enum LocatorClientPhase: Equatable {
    case idle
    /// The first login, inside `start`.
    case starting
    /// Logged in and advertised on the current link.
    case online
    /// Lost the connection after having been online; a reconnect task is running.
    case reconnecting
    case stopped
    case failed(String)
}
