import Foundation

/// Everything one user's engine needs: who, where its files live, how to reach the world, and
/// each part's own settings.
public struct EngineConfiguration: Sendable {
    public var user: String
    /// The user's own directory: `identity.pem`, `chat.sqlite`, `known_locators`.
    public var dataDirectory: URL
    /// The locator's replicas (one address for a single locator); the client moves between them.
    public var locators: [LocatorAddress]
    public var locatorMode: LocatorClient.Mode
    /// Where the peer listener binds; port 0 picks a free port (course mode: the id's last five digits).
    public var listenHost: String
    public var listenPort: Int?
    /// How often queued messages and friend requests are tried again while their peer seems reachable.
    public var retryInterval: Duration
    /// Whether a missing `identity.pem` may be replaced by a new key although `chat.sqlite` holds
    /// this user's friends and history (`--new-identity`). Without it that is refused: friends
    /// know the user by the old key, and a silent new one looks to them like an impostor.
    public var makesNewIdentity = false
    /// Whether a relayed connection tries to become a punched one (`HolePunch`). Off, a friend
    /// reached through the relay stays there, and sees only the relay's address.
    public var punchesHoles = true
    /// Each part's own settings, read through the accessor its folder adds (`parts.transfers`);
    /// defaults unless set.
    public var parts = PartSettingsSet()

    public init(
        user: String, dataDirectory: URL, locators: [LocatorAddress] = [LocatorAddress(host: "127.0.0.1", port: 8000)],
        locatorMode: LocatorClient.Mode = .modern, listenHost: String = "0.0.0.0", listenPort: Int? = nil,
        retryInterval: Duration = .seconds(20)
    ) {
        self.user = user
        self.dataDirectory = dataDirectory
        self.locators = locators
        self.locatorMode = locatorMode
        self.listenHost = listenHost
        self.listenPort = listenPort
        self.retryInterval = retryInterval
    }

    var identityFile: URL { dataDirectory.appendingPathComponent("identity.pem") }
    var databaseFile: URL { dataDirectory.appendingPathComponent("chat.sqlite") }
    var knownLocatorsFile: URL { dataDirectory.appendingPathComponent("known_locators") }
}
