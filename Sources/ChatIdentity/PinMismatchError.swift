/// A TLS peer did not present the certificate its pin requires.
///
/// Worded like SSH's changed-host-key warning: it may be an attack, and the person needs both
/// fingerprints to check with their friend by another channel.
public struct PinMismatchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The pinned fingerprint; nil when any certificate would have done.
    public let expected: Fingerprint?
    /// The fingerprint the peer presented; nil when it presented no usable certificate.
    public let presented: Fingerprint?

    public init(expected: Fingerprint?, presented: Fingerprint?) {
        self.expected = expected
        self.presented = presented
    }

    public var description: String {
        guard let expected else {
            return "The peer presented no usable certificate, so its identity cannot be checked."
        }
        let presentedText = self.presented?.grouped ?? "no usable certificate"
        return """
            WARNING: PEER IDENTITY HAS CHANGED! The connection was refused. \
            Someone may be impersonating this peer (a man-in-the-middle attack), \
            or the peer may have created a new identity. \
            Expected fingerprint: \(expected.grouped). \
            Presented fingerprint: \(presentedText). \
            Confirm the new fingerprint with the peer by other means before trusting it again.
            """
    }
}
