import Foundation
import NIOCore

/// Everything a locator needs to know to run; the command line fills it in.
public struct LocatorConfiguration: Sendable {
    public enum Registration: String, Sendable, CaseIterable {
        /// The first login of a new name registers it.
        case open
        /// New names register only when they are on the roster.
        case closed
    }

    public var host: String
    public var port: Int
    /// The SQLite file with the accounts, unless `postgres` is set.
    public var databasePath: String
    /// The PostgreSQL database that holds the accounts instead, shared by replicas; `nil`: SQLite.
    public var postgres: PostgresStoreSettings?
    /// Where the locator's TLS identity lives (created on first start), unless `identityKey` is set.
    public var identityPath: URL
    /// With `postgres`: the key under which the replicas keep their one shared identity in the
    /// database (the first to start writes it); `nil`: each replica has its own, in `identityPath`.
    public var identityKey: SharedIdentityKey? = nil
    /// The shared password of the course protocol.
    public var legacyPassword: String
    /// The ids allowed to use the course protocol (and to register when registration is closed); `nil` allows all.
    public var roster: Set<String>?
    public var registration: Registration
    /// A connection that makes no well-formed request for this long is closed.
    public var idleTimeout: TimeAmount
    /// A connection that has not sent its first byte after this long is closed; so is a TLS
    /// connection whose handshake and first request line take longer than this, and one whose
    /// request has not ended this long after its first byte.
    public var firstByteTimeout: TimeAmount
    /// How long a modern user stays online after their connection drops, so a reconnect is seamless.
    public var presenceGrace: Duration
    /// At most this many simultaneous connections from one IP address.
    public var maxConnectionsPerAddress: Int
    /// At most this many simultaneous connections in all; `nil`: 90% of the open-file limit (see
    /// `FileDescriptorLimit.defaultConnectionCap`).
    public var maxConnections: Int?
    /// A course login goes offline after this long without a new login.
    public var legacyTimeToLive: TimeAmount
    /// At most this many course logins are online; beyond, the oldest goes offline.
    public var maxLegacyLogins: Int
    /// Course logins accepted per second from one address (twice as many at once); more wait their turn.
    public var legacyLoginsPerSecond: Int
    /// New accounts registered per minute from one address (as many at once); more get `ERR busy`.
    public var registrationsPerMinute: Int
    /// New accounts registered per minute in all (as many at once); more get `ERR busy`.
    public var registrationsPerMinuteTotal: Int
    /// Passwords hashed at once at most; `nil`: one per core.
    public var hashingWorkers: Int?
    /// New accounts' passwords from one address that may wait for a worker; more get `ERR busy`.
    /// (Logins of existing accounts wait in turns by address, without a cap of their own.)
    public var hashingQueuePerAddress: Int
    /// Wrong passwords for one account from one address before each further one bars that pair
    /// for a penalty that doubles (1 s, 2 s, 4 s …).
    public var loginFailuresPerAccount: Int
    /// Wrong passwords from one address, over all accounts, before penalties start for the address.
    public var loginFailuresPerAddress: Int
    /// The first penalty; each further wrong password doubles it.
    public var firstLoginPenalty: TimeAmount
    /// The ceiling of a penalty.
    public var longestLoginPenalty: TimeAmount
    /// Repeated notices (wrong passwords, refusals) are logged once per reason and address per interval.
    public var noticeSummaryInterval: TimeAmount
    /// scrypt cost; tests lower it to keep registration fast.
    public var passwordHashing: PasswordHasher
    /// The TURN relay offered to logged-in users (`TURN`); nil: `ERR no-relay`.
    public var turnRelay: TurnRelay? = nil
    /// How long a resumption token (`TOKEN`, spent by `RESUME`) stays valid; clients ask for a new
    /// one before half of it has passed.
    public var resumeTokenLifetime: Duration = .seconds(600)

    public init(
        host: String = "0.0.0.0",
        port: Int = 8000,
        databasePath: String,
        identityPath: URL,
        legacyPassword: String = "net2019",
        roster: Set<String>? = nil,
        registration: Registration = .open,
        idleTimeout: TimeAmount = .seconds(120),
        firstByteTimeout: TimeAmount = .seconds(10),
        presenceGrace: Duration = .seconds(10),
        maxConnectionsPerAddress: Int = 256,
        maxConnections: Int? = nil,
        legacyTimeToLive: TimeAmount = .hours(6),
        maxLegacyLogins: Int = 100_000,
        legacyLoginsPerSecond: Int = 20,
        registrationsPerMinute: Int = 20,
        registrationsPerMinuteTotal: Int = 120,
        hashingWorkers: Int? = nil,
        hashingQueuePerAddress: Int = 64,
        loginFailuresPerAccount: Int = 3,
        loginFailuresPerAddress: Int = 10,
        firstLoginPenalty: TimeAmount = .seconds(1),
        longestLoginPenalty: TimeAmount = .minutes(10),
        noticeSummaryInterval: TimeAmount = .seconds(60),
        passwordHashing: PasswordHasher = PasswordHasher()
    ) {
        self.host = host
        self.port = port
        self.databasePath = databasePath
        self.identityPath = identityPath
        self.legacyPassword = legacyPassword
        self.roster = roster
        self.registration = registration
        self.idleTimeout = idleTimeout
        self.firstByteTimeout = firstByteTimeout
        self.presenceGrace = presenceGrace
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.maxConnections = maxConnections
        self.legacyTimeToLive = legacyTimeToLive
        self.maxLegacyLogins = maxLegacyLogins
        self.legacyLoginsPerSecond = legacyLoginsPerSecond
        self.registrationsPerMinute = registrationsPerMinute
        self.registrationsPerMinuteTotal = registrationsPerMinuteTotal
        self.hashingWorkers = hashingWorkers
        self.hashingQueuePerAddress = hashingQueuePerAddress
        self.loginFailuresPerAccount = loginFailuresPerAccount
        self.loginFailuresPerAddress = loginFailuresPerAddress
        self.firstLoginPenalty = firstLoginPenalty
        self.longestLoginPenalty = longestLoginPenalty
        self.noticeSummaryInterval = noticeSummaryInterval
        self.passwordHashing = passwordHashing
    }
}
