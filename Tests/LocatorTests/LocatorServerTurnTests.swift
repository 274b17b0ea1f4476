import ChatWire
import Crypto
import Foundation
import Locator
import Testing
import TestSupport

/// `TURN`: short-lived credentials for the relay, in coturn's REST-API form, for logged-in users only.
@Suite("LocatorServer: TURN credentials", .timeLimit(.minutes(1)))
struct LocatorServerTurnTests {
    static let secret = Array("the secret coturn knows".utf8)

    static func withRelay(_ configuration: inout LocatorConfiguration) {
        configuration.turnRelay = TurnRelay(host: "203.0.113.1", port: 3478, secret: secret, credentialLifetime: .seconds(3600))
    }

    @Test("a logged-in user gets user EXPIRY:USER and the base64 HMAC-SHA1 of it under the shared secret")
    func credentials() async throws {
        try await withTestLocator(configure: Self.withRelay) { locator throws in
            let alice = try await ModernLocatorClient.connect(to: locator)
            _ = try await alice.login("alice", password: "a")
            let before = Int(Date().timeIntervalSince1970)
            let reply = try await alice.request(.turn)
            guard case .ok("TURN", let details) = reply, let offer = TurnOffer(words: details) else {
                Issue.record("TURN was answered \(reply)")
                return
            }
            #expect(offer.uri == "turn:203.0.113.1:3478")
            #expect((before + 3600...before + 3602).contains(offer.expires))
            #expect(offer.username == "\(offer.expires):alice")
            let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(offer.username.utf8), using: SymmetricKey(data: Self.secret))
            #expect(offer.password == Data(mac).base64EncodedString())
            await alice.close()
        }
    }

    @Test("before LOGIN: not-logged-in; without --turn: no-relay")
    func refusals() async throws {
        try await withTestLocator(configure: Self.withRelay) { locator throws in
            let stranger = try await ModernLocatorClient.connect(to: locator)
            #expect(try await stranger.request(.turn) == .error(LocatorError(.notLoggedIn, "LOGIN first")))
            await stranger.close()
        }
        try await withTestLocator { locator throws in
            let alice = try await ModernLocatorClient.connect(to: locator)
            _ = try await alice.login("alice", password: "a")
            #expect(try await alice.request(.turn) == .error(LocatorError(.noRelay, "this locator offers no relay")))
            await alice.close()
        }
    }

    @Test("the secret file: its first line; a missing or empty file is one clear error that shows no secret")
    func secretFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("turn-secret").path
        try Data("s3cret-value\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try TurnRelay.readSecret(from: path) == Array("s3cret-value".utf8))

        try Data("\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: TurnRelay.SecretFileError.self) { try TurnRelay.readSecret(from: path) }
        do {
            _ = try TurnRelay.readSecret(from: path + ".missing")
            Issue.record("a missing file was read")
        } catch {
            #expect(error.description.hasPrefix("cannot read the TURN secret file"))
            #expect(!error.description.contains("\n"))
        }
    }
}
