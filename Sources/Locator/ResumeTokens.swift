import ChatWire
import Crypto

/// Resumption tokens: a logged-in client asks for one (`TOKEN`) and spends it (`RESUME`) to log in
/// again after its connection was lost, on this replica or on any other of the same service,
/// without a password hash. When a replica dies, its clients all come back at once; a scrypt hash
/// each would keep the last of them waiting for seconds.
///
/// Only a SHA-256 digest of each token is stored, in the service's store (so a token is good for
/// that service only, and reading the database gives no token away). A token belongs to one
/// user, is spent once, expires after `lifetime` by the store's clock, and a logout revokes all of
/// its user's tokens. A token that is forged, spent, expired, revoked or another user's is refused,
/// and the client falls back to its password.
struct ResumeTokens: Sendable {
    let store: any LocatorStore
    let lifetime: Duration
    /// Tokens kept per user: one per session, and its replacement while it is being renewed.
    static let keptPerUser = 8

    /// A new token of `user`, kept in the store.
    func issue(for user: String) async throws -> ResumeToken {
        let token = ResumeToken.random()
        try await store.saveResumeToken(Self.digest(of: token), of: user, lifetime: lifetime, kept: Self.keptPerUser)
        return token
    }

    /// Whether `token` is a valid token of `user`; a valid one is spent.
    func spend(_ token: ResumeToken, of user: String) async throws -> Bool {
        try await store.spendResumeToken(Self.digest(of: token), of: user)
    }

    func revokeAll(of user: String) async throws {
        try await store.revokeResumeTokens(of: user)
    }

    static func digest(of token: ResumeToken) -> String {
        SHA256.hash(data: Array(token.text.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
