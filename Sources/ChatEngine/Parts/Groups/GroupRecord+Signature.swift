import ChatIdentity
import ChatWire
import Crypto
import Foundation

extension GroupRecord {
    /// What the signature covers: everything that says who is in the group and who runs it.
    var signedContent: Data {
        GroupHeader.signedContent(id: id, name: name, version: version, owner: owner, members: members)
    }

    /// This version signed by `signer` with their identity key.
    func signed(by signer: String, with identity: Identity) throws -> GroupRecord {
        var next = self
        let value = try identity.privateKey.signature(for: signedContent)
        next.signature = GroupSignature(
            signer: signer, publicKey: identity.privateKey.publicKey.derRepresentation.base64EncodedString(),
            value: value.rawRepresentation.base64EncodedString())
        return next
    }

    /// Whether this version carries a valid signature by `signer`, made with the key whose
    /// fingerprint is `fingerprint`; nil when it does, else why not.
    func signatureProblem(signer: String, fingerprint: String) -> String? {
        guard let signature else { return "it is not signed" }
        guard signature.signer == signer else { return "it is signed by \(signature.signer), not \(signer)" }
        guard let keyBytes = signature.publicKeyBytes, let signatureBytes = signature.signatureBytes,
            let key = try? P256.Signing.PublicKey(derRepresentation: keyBytes),
            let value = try? P256.Signing.ECDSASignature(rawRepresentation: signatureBytes)
        else { return "its signature is malformed" }
        guard Fingerprint(publicKeyDER: keyBytes).hex == fingerprint else {
            return "it is signed with a key that is not \(signer)'s"
        }
        guard key.isValidSignature(value, for: signedContent) else { return "its signature does not match its content" }
        return nil
    }

    /// Whether `next` is exactly this version without `member` (who is not the owner): the one
    /// change a member may make, and sign, on their own.
    func isLeave(of member: String, giving next: GroupRecord) -> Bool {
        guard member != owner, contains(member) else { return false }
        let expected = removing(member)
        return next.version == expected.version && next.name == name && next.owner == expected.owner
            && next.members == expected.members
    }
}
