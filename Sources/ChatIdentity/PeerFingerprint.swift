import NIOCore
import NIOSSL

/// The fingerprint of the peer authenticated on `channel`: the certificate that passed the pin
/// check installed by `addPinnedTLSClientHandlers` / `addPinnedTLSServerHandlers`.
///
/// Nil before the handshake has completed (any data read from the channel implies it has), when
/// the peer presented no certificate (a server context with `.none`), or when the TLS handler
/// was not installed by those functions: only a certificate this library checked counts.
public func peerFingerprint(of channel: any Channel) -> EventLoopFuture<Fingerprint?> {
    channel.nioSSL_peerValidatedCertificateChain().flatMapThrowing { chain in
        try chain.map { try Fingerprint(certificate: $0.leaf) }
    }
}
