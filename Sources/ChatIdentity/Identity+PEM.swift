import Crypto
import SwiftASN1
import X509

extension Identity {
    private static let privateKeyLabel = "PRIVATE KEY"
    private static let certificateLabel = "CERTIFICATE"

    /// The identity as one PEM text: the PKCS#8 key, then the certificate. The same layout
    /// `openssl` writes and reads, so the file can be inspected with standard tools.
    public func pemRepresentation() throws -> String {
        let key = PEMDocument(type: Self.privateKeyLabel, derBytes: Array(self.privateKey.derRepresentation))
        let certificate = try self.certificate.serializeAsPEM()
        return key.pemString + "\n" + certificate.pemString + "\n"
    }

    /// Parses what `pemRepresentation()` wrote. Exactly one key and one certificate are
    /// expected; the reason in a thrown `Identity.Error` says which part is wrong.
    ///
    /// The reasons are fixed sentences and never the parser's own error: swift-asn1 and the key
    /// parsers quote the text or bytes they choke on, and here that text is the private key.
    public init(pemRepresentation text: String) throws {
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseMultiple(pemString: text)
        } catch {
            throw Identity.Error(kind: .corrupt, path: nil, reason: "it is not valid PEM")
        }
        let keys = documents.filter { $0.discriminator == Self.privateKeyLabel }
        let certificates = documents.filter { $0.discriminator == Self.certificateLabel }
        guard keys.count == 1 else {
            throw Identity.Error(kind: .corrupt, path: nil, reason: "expected 1 private key, found \(keys.count)")
        }
        guard certificates.count == 1 else {
            throw Identity.Error(
                kind: .corrupt,
                path: nil,
                reason: "expected 1 certificate, found \(certificates.count)"
            )
        }
        let privateKey: P256.Signing.PrivateKey
        do {
            privateKey = try P256.Signing.PrivateKey(derRepresentation: keys[0].derBytes)
        } catch {
            throw Identity.Error(kind: .corrupt, path: nil, reason: "the private key is not a P-256 key")
        }
        let certificate: Certificate
        do {
            certificate = try Certificate(derEncoded: certificates[0].derBytes)
        } catch {
            throw Identity.Error(kind: .corrupt, path: nil, reason: "the certificate cannot be parsed")
        }
        do {
            try self.init(privateKey: privateKey, certificate: certificate)
        } catch let error as Identity.Error {
            throw error
        } catch {
            throw Identity.Error(kind: .corrupt, path: nil, reason: "the TLS library rejects the key or the certificate")
        }
    }
}
