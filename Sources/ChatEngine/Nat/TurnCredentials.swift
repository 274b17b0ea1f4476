import ChatWire
import Crypto

/// A user name and password for a TURN server (from the locator's `TURN` offer), and the
/// long-term credential key of RFC 8489 §9.2.2 made from them: MD5 of `user:realm:password`,
/// which keys MESSAGE-INTEGRITY's HMAC-SHA1. The hashing lives here, in the engine, which
/// already depends on swift-crypto; ChatWire's codec only asks for the MAC.
struct TurnCredentials: Sendable {
    let username: String
    let password: String

    init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    init(_ offer: TurnOffer) {
        self.init(username: offer.username, password: offer.password)
    }

    func key(realm: String) -> [UInt8] {
        Array(Insecure.MD5.hash(data: Array("\(username):\(realm):\(password)".utf8)))
    }

    func mac(realm: String) -> StunMessage.MAC {
        let key = SymmetricKey(data: key(realm: realm))
        return { bytes in Array(HMAC<Insecure.SHA1>.authenticationCode(for: bytes, using: key)) }
    }
}
