import NIOCore
import NIOSSL

extension ChannelPipeline.SynchronousOperations {
    /// Adds TLS for the dialing side: a `NIOSSLClientHandler` whose certificate check is `pin`,
    /// and behind it the handler that turns a refused pin into a `PinMismatchError`, so that is
    /// what reaches `errorCaught` and the inbound stream of a `NIOAsyncChannel`.
    ///
    /// - Parameters:
    ///   - context: from `Identity.makeClientContext(presentCertificate:)`.
    ///   - serverHostname: sent as SNI if it is a host name; IP addresses are not sent (TLS
    ///     forbids them in SNI). Never checked against the certificate: the pin replaces that.
    public func addPinnedTLSClientHandlers(
        context: NIOSSLContext,
        serverHostname: String?,
        pin: PinPolicy
    ) throws {
        let verifier = PinVerifier(policy: pin)
        let sniHostname = serverHostname.flatMap { Self.isIPAddress($0) ? nil : $0 }
        let tls = try NIOSSLClientHandler(
            context: context,
            serverHostname: sniHostname,
            customVerificationCallbackWithMetadata: { chain, promise in verifier.verify(chain, promise) }
        )
        try self.addHandlers([tls, PinFailureHandler(verifier: verifier)])
    }

    /// Adds TLS for the accepting side. When the context requires client certificates, `pin`
    /// decides which are accepted; the default accepts any, leaving the peer's identity to the
    /// application via `peerFingerprint(of:)`.
    ///
    /// - Parameter context: from `Identity.makeServerContext(clientAuthentication:)`.
    public func addPinnedTLSServerHandlers(context: NIOSSLContext, pin: PinPolicy = .acceptAny) throws {
        let verifier = PinVerifier(policy: pin)
        let tls = NIOSSLServerHandler(
            context: context,
            customVerificationCallbackWithMetadata: { chain, promise in verifier.verify(chain, promise) }
        )
        try self.addHandlers([tls, PinFailureHandler(verifier: verifier)])
    }

    /// The authenticated peer's fingerprint, or nil before the handshake has completed or when
    /// the peer presented no certificate. Must be called on the channel's event loop.
    public func peerFingerprint() throws -> Fingerprint? {
        try self.nioSSL_peerValidatedCertificateChain().map { try Fingerprint(certificate: $0.leaf) }
    }

    private static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}
