import Crypto
import NIOSSL
import SwiftASN1
import X509

/// A user's long-lived TLS identity: a P-256 key and a self-signed certificate for it.
///
/// Peers know each other by `fingerprint` (pinned when a friendship is made), so the
/// certificate carries no authority of its own: it exists because TLS needs one.
public struct Identity: Sendable {
    /// The signing key. Never leaves the data directory.
    public let privateKey: P256.Signing.PrivateKey

    /// The self-signed certificate for `privateKey`.
    public let certificate: Certificate

    /// The SHA-256 of the certificate's SubjectPublicKeyInfo: what peers pin.
    public let fingerprint: Fingerprint

    /// The certificate in the form NIOSSL presents in a handshake (a chain of one).
    public let certificateChain: [NIOSSLCertificate]

    /// The key in the form NIOSSL signs handshakes with.
    public let sslPrivateKey: NIOSSLPrivateKey

    /// Pairs a key with its certificate, checking that they belong together so a mismatched
    /// pair fails here rather than in every later handshake.
    init(privateKey: P256.Signing.PrivateKey, certificate: Certificate) throws {
        guard certificate.publicKey == Certificate.PublicKey(privateKey.publicKey) else {
            throw Identity.Error(kind: .corrupt, path: nil, reason: "its private key does not belong to its certificate")
        }
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        let sslCertificate = try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der)

        self.privateKey = privateKey
        self.certificate = certificate
        self.certificateChain = [sslCertificate]
        self.sslPrivateKey = try NIOSSLPrivateKey(bytes: Array(privateKey.derRepresentation), format: .der)
        // Computed from the NIOSSL form, the same way a peer computes it from the handshake,
        // so what we show and what friends pin can never disagree.
        self.fingerprint = try Fingerprint(certificate: sslCertificate)
    }

    /// The name the certificate was issued to.
    public var commonName: String? {
        for relativeName in self.certificate.subject {
            for attribute in relativeName where attribute.type == .RDNAttributeType.commonName {
                return String(attribute.value)
            }
        }
        return nil
    }
}
