import Foundation

/// The signature on a group announcement (`GroupSigner`, `GroupSignerKey`, `GroupSig`): who
/// signed this version, with which public key, and the P-256 ECDSA signature over
/// `GroupHeader.signedContent(name:)`.
///
/// The owner signs every version; a member who leaves signs the version without them. Members
/// relay an announcement as it is, so the signer need not be the peer who sent it. The key is
/// carried because receivers know signers only by fingerprint (the SHA-256 of this key): the
/// receiver checks the key against the fingerprint it holds for the signer, then the signature.
public struct GroupSignature: Sendable, Hashable {
    public var signer: String
    /// The signer's DER-encoded SubjectPublicKeyInfo, base64.
    public var publicKey: String
    /// The 64-byte raw (r ‖ s) ECDSA signature, base64.
    public var value: String

    public init(signer: String, publicKey: String, value: String) {
        self.signer = signer
        self.publicKey = publicKey
        self.value = value
    }

    /// A P-256 SubjectPublicKeyInfo is 91 bytes; anything much bigger is not a key we use.
    public static let maxPublicKeyBytes = 160
    public static let signatureBytes = 64

    public var publicKeyBytes: Data? { Data(base64Encoded: publicKey) }
    public var signatureBytes: Data? { Data(base64Encoded: value) }

    var isValid: Bool {
        guard UserName.isValid(signer), publicKey.utf8.count <= 4 * Self.maxPublicKeyBytes / 3 + 4,
            let key = publicKeyBytes, (1...Self.maxPublicKeyBytes).contains(key.count),
            signatureBytes?.count == Self.signatureBytes
        else { return false }
        return true
    }
}
