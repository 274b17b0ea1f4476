import NIOSSL

extension Identity {
    /// Whether a server asks the connecting side for a certificate.
    public enum ClientAuthentication: Sendable {
        /// No client certificate (the locator: clients log in with a password).
        case none
        /// A client certificate is required; any self-signed one is accepted by the TLS layer and
        /// the application decides who it is from `peerFingerprint(of:)` (the peer listener).
        case required
    }

    /// A TLS 1.3 server context presenting this identity.
    ///
    /// With `.required`, use it through `addPinnedTLSServerHandlers(context:pin:)`: that installs
    /// the verification callback which accepts self-signed client certificates. A plain
    /// `NIOSSLServerHandler` would check them against the (empty) trust store and refuse every peer.
    public func makeServerContext(clientAuthentication: ClientAuthentication) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: self.certificateChain.map { .certificate($0) },
            privateKey: .privateKey(self.sslPrivateKey)
        )
        Self.restrictToPinning(&configuration)
        switch clientAuthentication {
        case .none:
            configuration.certificateVerification = .none
        case .required:
            // On a server this makes BoringSSL demand a certificate (SSL_VERIFY_FAIL_IF_NO_PEER_CERT);
            // the custom callback then replaces chain verification entirely.
            configuration.certificateVerification = .noHostnameVerification
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// A TLS 1.3 client context, presenting this identity if `presentCertificate` (to peers) or
    /// nothing (to the locator). The server is authenticated by its pinned fingerprint, through
    /// `addPinnedTLSClientHandlers(context:serverHostname:pin:)`, not by CAs or host names.
    public func makeClientContext(presentCertificate: Bool) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if presentCertificate {
            configuration.certificateChain = self.certificateChain.map { .certificate($0) }
            configuration.privateKey = .privateKey(self.sslPrivateKey)
        }
        Self.restrictToPinning(&configuration)
        // Not `.none`: NIOSSL only calls the custom verification callback (the pin check) when
        // verification is on. Host names are meaningless for peers found by address.
        configuration.certificateVerification = .noHostnameVerification
        return try NIOSSLContext(configuration: configuration)
    }

    /// TLS 1.3 only, and no CA trust: identities are self-signed and checked by fingerprint.
    private static func restrictToPinning(_ configuration: inout TLSConfiguration) {
        configuration.minimumTLSVersion = .tlsv13
        configuration.maximumTLSVersion = .tlsv13
        // An empty trust store instead of the system one: no CA can vouch for a peer, and loading
        // the system bundle for every context would be wasted work.
        configuration.trustRoots = .certificates([])
    }
}
