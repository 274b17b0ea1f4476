import Crypto
import Foundation
import X509

extension Identity {
    /// How long a new certificate is valid. Peers check fingerprints, not dates, but other TLS
    /// tools (`openssl s_client`, proxies) look at validity, so it should simply never run out
    /// in practice.
    static let certificateLifetime: TimeInterval = 20 * 365.25 * 24 * 60 * 60

    /// Makes a fresh identity in memory: a new P-256 key and a certificate issued to `commonName`.
    /// Use `loadOrCreate(at:commonName:)` for the user's persistent identity.
    public static func generate(commonName: String, now: Date = Date()) throws -> Identity {
        do {
            let key = P256.Signing.PrivateKey()
            let name = try DistinguishedName {
                CommonName(commonName)
            }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
            }
            let certificate = try Certificate(
                version: .v3,
                serialNumber: Certificate.SerialNumber(),
                publicKey: Certificate.PublicKey(key.publicKey),
                // Backdated an hour so a peer whose clock is a little behind still sees a valid certificate.
                notValidBefore: now.addingTimeInterval(-60 * 60),
                notValidAfter: now.addingTimeInterval(Self.certificateLifetime),
                issuer: name,
                subject: name,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: extensions,
                issuerPrivateKey: Certificate.PrivateKey(key)
            )
            return try Identity(privateKey: key, certificate: certificate)
        } catch let error as Identity.Error {
            throw error
        } catch {
            throw Identity.Error(kind: .cannotGenerate, path: nil, reason: String(describing: error))
        }
    }
}
