import NIOSSL

extension Fingerprint {
    /// The fingerprint of a certificate as presented in a TLS handshake.
    ///
    /// Throws if the certificate's public key cannot be extracted (a malformed certificate from a peer).
    public init(certificate: NIOSSLCertificate) throws {
        let publicKey = try certificate.extractPublicKey()
        self.init(publicKeyDER: try publicKey.toSPKIBytes())
    }
}
