import Foundation

/// A friend: a peer id with the certificate fingerprint pinned when the
/// friendship was made.
public struct Contact: Sendable, Hashable {
    /// The peer's user name, as registered with the locator.
    public var id: String
    /// SHA-256 of the peer's certificate public key, 64 lowercase hex digits.
    public var fingerprint: String
    public var addedAt: Date

    public init(id: String, fingerprint: String, addedAt: Date) {
        self.id = id
        self.fingerprint = fingerprint
        self.addedAt = addedAt.truncatedToMilliseconds
    }
}
