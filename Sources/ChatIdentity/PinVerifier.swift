import NIOCore
import NIOSSL

/// The pin check for one connection, shared by the TLS verification callback (which records a
/// mismatch) and `PinFailureHandler` (which reports it). Both run on the channel's event loop,
/// so this needs no lock and is deliberately not Sendable.
final class PinVerifier {
    let policy: PinPolicy
    /// Set when the callback refused the peer; the handshake then fails with a generic NIOSSL
    /// error, which `PinFailureHandler` replaces with this one.
    private(set) var failure: PinMismatchError?

    init(policy: PinPolicy) {
        self.policy = policy
    }

    /// A NIOSSL custom verification callback. It replaces CA verification entirely: the peer's
    /// certificate is self-signed, and TLS 1.3's CertificateVerify already proves the peer holds
    /// its key, so the fingerprint of the leaf is all that needs checking.
    func verify(
        _ chain: [NIOSSLCertificate],
        _ promise: EventLoopPromise<NIOSSLVerificationResultWithMetadata>
    ) {
        let leaf = chain.first
        let presented = leaf.flatMap { try? Fingerprint(certificate: $0) }
        switch self.policy.check(presented) {
        case .success:
            guard let leaf else { return promise.succeed(.failed) }
            // Only the leaf is "validated": anything else the peer sent plays no part in trust.
            // Recording it lets `peerFingerprint(of:)` read it back through NIOSSL's own API.
            promise.succeed(.certificateVerified(VerificationMetadata(ValidatedCertificateChain([leaf]))))
        case .failure(let failure):
            self.failure = failure
            promise.succeed(.failed)
        }
    }
}
