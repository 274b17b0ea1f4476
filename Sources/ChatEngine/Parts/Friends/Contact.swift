import Foundation

/// A friend: a peer id with the certificate fingerprint pinned when the
/// friendship was made.
public struct Contact: Sendable, Hashable {
    /// The peer's user name, as registered with the locator.
    public var id: String
    /// SHA-256 of the peer's certificate public key, 64 lowercase hex digits.
    public var fingerprint: String
    public var addedAt: Date
    /// The user compared safety numbers with this friend (`/verify ID confirmed`) for `fingerprint`.
    public var verified: Bool
    /// A key this friend presented that is not the pinned one and that the user has not accepted:
    /// a new identity, or someone impersonating them.
    public var offeredFingerprint: String?

    public init(id: String, fingerprint: String, addedAt: Date, verified: Bool = false, offeredFingerprint: String? = nil) {
        self.id = id
        self.fingerprint = fingerprint
        self.addedAt = addedAt.truncatedToMilliseconds
        self.verified = verified
        self.offeredFingerprint = offeredFingerprint
    }
}
