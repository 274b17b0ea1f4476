import ChatIdentity
import NIOCore
import NIOSSL
import Testing

@Suite("Pinned TLS over loopback", .timeLimit(.minutes(1)))
struct PinnedTLSTests {
    let server: Identity
    let client: Identity

    init() throws {
        self.server = try Identity.generate(commonName: "server")
        self.client = try Identity.generate(commonName: "client")
    }

    @Test("mutual TLS 1.3 with the right pin: each side sees the other's fingerprint")
    func mutualTLSWithMatchingPin() async throws {
        let context = try self.client.makeClientContext(presentCertificate: true)
        let pin = PinPolicy.expect(self.server.fingerprint)

        let exchange = try await Loopback.withServer(identity: self.server, clientAuthentication: .required) { port in
            try await Loopback.exchange(port: port, context: context, pin: pin)
        }

        #expect(exchange.server == self.server.fingerprint)
        #expect(exchange.clientAsSeenByServer == self.client.fingerprint.hex)
        #expect(exchange.tlsVersion == .tlsv13)
    }

    @Test("a wrong pin fails the handshake with both fingerprints in the error")
    func wrongPinFailsHandshake() async throws {
        let context = try self.client.makeClientContext(presentCertificate: true)
        let pinned = try Identity.generate(commonName: "the real server").fingerprint

        let error = try await Loopback.withServer(identity: self.server, clientAuthentication: .required) { port in
            try await #require(throws: PinMismatchError.self) {
                try await Loopback.readOnly(port: port, context: context, pin: .expect(pinned))
            }
        }

        #expect(error.expected == pinned)
        #expect(error.presented == self.server.fingerprint)
        #expect(error.description.contains(pinned.grouped))
        #expect(error.description.contains(self.server.fingerprint.grouped))
    }

    @Test("trust on first use connects and reports the fingerprint to pin", arguments: [PinPolicy.trustOnFirstUse, .acceptAny])
    func trustOnFirstUse(_ pin: PinPolicy) async throws {
        let context = try self.client.makeClientContext(presentCertificate: false)

        let exchange = try await Loopback.withServer(identity: self.server, clientAuthentication: .none) { port in
            try await Loopback.exchange(port: port, context: context, pin: pin)
        }

        #expect(exchange.server == self.server.fingerprint)
        #expect(exchange.clientAsSeenByServer == "none")
    }

    @Test("a server requiring client certificates refuses a client without one")
    func requiredClientCertificate() async throws {
        let context = try self.client.makeClientContext(presentCertificate: false)
        let pin = PinPolicy.expect(self.server.fingerprint)

        try await Loopback.withServer(identity: self.server, clientAuthentication: .required) { port in
            // TLS 1.3 clients finish their side before the server checks them: the refusal
            // arrives as the server's alert on the first read.
            let error = await #expect(throws: BoringSSLError.self) {
                try await Loopback.exchange(port: port, context: context, pin: pin)
            }
            #expect(String(describing: error).contains("CERTIFICATE_REQUIRED"))
        }
    }

    @Test(
        "the server negotiates nothing below TLS 1.3 (control: the same client allowing 1.3 connects)",
        arguments: [(TLSVersion.tlsv12, false), (.tlsv13, true)]
    )
    func serverRefusesTLS12(maximum: TLSVersion, connects: Bool) async throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.maximumTLSVersion = maximum
        configuration.certificateChain = self.client.certificateChain.map { .certificate($0) }
        configuration.privateKey = .privateKey(self.client.sslPrivateKey)
        configuration.trustRoots = .certificates([])
        configuration.certificateVerification = .noHostnameVerification
        let context = try NIOSSLContext(configuration: configuration)
        let acceptAnything: @Sendable (any Channel) throws -> Void = { channel in
            let tls = try NIOSSLClientHandler(context: context, serverHostname: nil) { _, promise in
                promise.succeed(.certificateVerified)
            }
            try channel.pipeline.syncOperations.addHandler(tls)
        }

        let result = try await Loopback.withServer(identity: self.server, clientAuthentication: .required) { port in
            await Result(awaiting: { try await Loopback.exchange(port: port, installTLS: acceptAnything) })
        }

        switch result {
        case .success(let exchange):
            #expect(connects)
            #expect(exchange.tlsVersion == .tlsv13)
            #expect(exchange.clientAsSeenByServer == self.client.fingerprint.hex)
        case .failure(let error):
            #expect(!connects, "unexpected failure: \(error)")
            #expect(error is NIOSSLError)
        }
    }

    @Test(
        "the client negotiates nothing below TLS 1.3 (control: the same server allowing 1.3 accepts)",
        arguments: [(TLSVersion.tlsv12, false), (.tlsv13, true)]
    )
    func clientRefusesTLS12(maximum: TLSVersion, connects: Bool) async throws {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: self.server.certificateChain.map { .certificate($0) },
            privateKey: .privateKey(self.server.sslPrivateKey)
        )
        configuration.minimumTLSVersion = .tlsv12
        configuration.maximumTLSVersion = maximum
        let serverContext = try NIOSSLContext(configuration: configuration)
        let clientContext = try self.client.makeClientContext(presentCertificate: true)
        let pin = PinPolicy.expect(self.server.fingerprint)

        let result = try await Loopback.withServer(
            installTLS: { channel in try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: serverContext)) }
        ) { port in
            await Result(awaiting: { try await Loopback.exchange(port: port, context: clientContext, pin: pin) })
        }

        switch result {
        case .success(let exchange):
            #expect(connects)
            #expect(exchange.tlsVersion == .tlsv13)
            #expect(exchange.server == self.server.fingerprint)
        case .failure(let error):
            #expect(!connects, "unexpected failure: \(error)")
            #expect(error is NIOSSLError)
        }
    }
}

extension Result where Failure == any Error {
    /// Captures the outcome of an async throwing call, to assert on either branch.
    init(awaiting body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
