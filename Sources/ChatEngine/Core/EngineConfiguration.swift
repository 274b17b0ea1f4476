import Foundation

/// Everything one user's engine needs: who, where its files live, and how to reach the world.
public struct EngineConfiguration: Sendable {
    public var user: String
    /// The user's own directory: `identity.pem`, `chat.sqlite`, `known_locators`.
    public var dataDirectory: URL
    public var locatorHost: String
    public var locatorPort: Int
    public var locatorMode: LocatorClient.Mode
    /// Where the peer listener binds; port 0 picks a free port (course mode: the id's last five digits).
    public var listenHost: String
    public var listenPort: Int?
    /// How long `send` waits for the receiver's `Ack` before answering "queued".
    public var ackWait: Duration
    /// How often queued messages and friend requests are tried again while their peer seems reachable.
    public var retryInterval: Duration
    /// Files from friends up to this many bytes are accepted without asking; 0 asks for every file.
    public var autoAcceptLimit: Int64 = 100 * 1024 * 1024
    /// Where received files land; nil means `downloads` in the data directory.
    public var downloadsDirectory: URL?
    /// Where a call's audio comes from and goes to: an ALSA PCM name or `file:PATH.wav`.
    public var audioIn = "default"
    public var audioOut = "default"
    /// ALSA configuration text (alsa.conf syntax) to look ALSA names up in instead of the
    /// system's: PCMs made of plugins, as tests define them.
    public var alsaConfiguration: String?
    /// Whether a call plays the peer's audio back to it instead of using `audioIn`/`audioOut`
    /// (the echo peer).
    public var echoesCallAudio = false
    /// How long a call rings before it ends as `no answer`.
    public var ringTimeout: Duration = .seconds(30)
    /// How long hanging up waits for the peer's `End` before ending the call anyway.
    public var hangUpTimeout: Duration = .seconds(3)
    /// For testing only: loss and delay applied to the call media this side sends.
    public var callImpairment: CallImpairment?
    /// Whether a missing `identity.pem` may be replaced by a new key although `chat.sqlite` holds
    /// this user's friends and history (`--new-identity`). Without it that is refused: friends
    /// know the user by the old key, and a silent new one looks to them like an impostor.
    public var makesNewIdentity = false

    public init(
        user: String, dataDirectory: URL, locatorHost: String = "127.0.0.1", locatorPort: Int = 8000,
        locatorMode: LocatorClient.Mode = .modern, listenHost: String = "0.0.0.0", listenPort: Int? = nil,
        ackWait: Duration = .seconds(5), retryInterval: Duration = .seconds(20)
    ) {
        self.user = user
        self.dataDirectory = dataDirectory
        self.locatorHost = locatorHost
        self.locatorPort = locatorPort
        self.locatorMode = locatorMode
        self.listenHost = listenHost
        self.listenPort = listenPort
        self.ackWait = ackWait
        self.retryInterval = retryInterval
    }

    var identityFile: URL { dataDirectory.appendingPathComponent("identity.pem") }
    var databaseFile: URL { dataDirectory.appendingPathComponent("chat.sqlite") }
    var downloads: URL { downloadsDirectory ?? dataDirectory.appendingPathComponent("downloads") }
    var knownLocatorsFile: URL { dataDirectory.appendingPathComponent("known_locators") }
}
