/// Which certificate a TLS peer must present.
public enum PinPolicy: Sendable, Hashable {
    /// Exactly this fingerprint (a friend, or a locator whose fingerprint is configured).
    case expect(Fingerprint)
    /// Any certificate; the caller records `peerFingerprint(of:)` after the handshake and
    /// expects it from then on (first contact with a locator, like SSH's first connection).
    case trustOnFirstUse
    /// Any certificate; identity is decided later by the application (the peer listener).
    case acceptAny

    /// Checks a presented certificate's fingerprint (nil: none presented) against the policy.
    public func check(_ presented: Fingerprint?) -> Result<Fingerprint, PinMismatchError> {
        switch (self, presented) {
        case (.expect(let expected), let presented?) where presented == expected:
            return .success(presented)
        case (.expect(let expected), let presented):
            return .failure(PinMismatchError(expected: expected, presented: presented))
        case (.trustOnFirstUse, let presented?), (.acceptAny, let presented?):
            return .success(presented)
        case (.trustOnFirstUse, nil), (.acceptAny, nil):
            return .failure(PinMismatchError(expected: nil, presented: nil))
        }
    }
}
