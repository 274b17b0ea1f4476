/// Where the locator keeps what must outlive it: the accounts (only scrypt hashes).
///
/// Two stores stand behind this one protocol: `SQLiteLocatorStore`, one file, the default, so that
/// one machine needs nothing else; and `PostgresLocatorStore`, which several replicas share. The
/// password work (hashing, throttles) is `AccountStore`'s, the same over both.
public protocol LocatorStore: Sendable {
    /// The store for messages: a path, or a URL without any password.
    var location: String { get }

    /// The stored scrypt hash of `user`'s password; `nil` when the name is not registered.
    func passwordHash(of user: String) async throws -> String?

    /// Remembers that `user` has just logged in.
    func noteLogin(of user: String) async throws

    /// Registers `user` unless the name is taken. Returns `false` when it was: the unique name
    /// decides between two registrations of it at once, on one replica or on two.
    func insertAccount(_ user: String, passwordHash: String) async throws -> Bool

    func accountCount() async throws -> Int

    /// Keeps `digest` (of a resumption token of `user`) until `lifetime` has passed by the store's
    /// clock, and forgets `user`'s expired tokens and all but the newest `kept` of the others.
    func saveResumeToken(_ digest: String, of user: String, lifetime: Duration, kept: Int) async throws

    /// Spends a token: `true`, and the token is gone, when `digest` is one of `user`'s tokens and
    /// has not expired; `false` otherwise. Two replicas spending the same token at once: one wins.
    func spendResumeToken(_ digest: String, of user: String) async throws -> Bool

    /// Forgets every token of `user` (a logout).
    func revokeResumeTokens(of user: String) async throws

    /// Finishes writing and lets go of the database.
    func close() async throws
}
