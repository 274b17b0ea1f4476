import ChatWire
import Crypto
import Foundation

/// The TURN relay (coturn) a locator offers its logged-in users, and the secret it shares with it
/// (`static-auth-secret` in coturn's `use-auth-secret` mode), from which it makes each user
/// credentials that expire on their own: the relay needs no list of users, and a user who is no
/// longer logged in gets no new ones.
public struct TurnRelay: Sendable {
    public var host: String
    public var port: Int
    let secret: [UInt8]
    /// How long credentials stay valid. A client asks for new ones before then.
    public var credentialLifetime: Duration

    public static let defaultCredentialLifetime = Duration.seconds(12 * 3600)

    public init(host: String, port: Int, secret: [UInt8], credentialLifetime: Duration = defaultCredentialLifetime) {
        self.host = host
        self.port = port
        self.secret = secret
        self.credentialLifetime = credentialLifetime
    }

    /// Credentials for `user`, valid from `now` for `credentialLifetime`.
    public func offer(for user: String, now: Date = Date()) -> TurnOffer {
        let expires = Int(now.timeIntervalSince1970) + Int(credentialLifetime.components.seconds)
        let username = "\(expires):\(user)"
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(username.utf8), using: SymmetricKey(data: secret))
        return TurnOffer(host: host, port: port, username: username, password: Data(mac).base64EncodedString(), expires: expires)
    }
}
