import ChatIdentity
import ChatWire
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

extension ModernLocatorClient {
    /// Opens a TLS connection to `endpoint`; the handshake, with the pin check, is complete when
    /// this returns. The replica must present the fingerprint pinned for its address, or else the
    /// service's, pinned at another of its addresses.
    func connect(to endpoint: LocatorEndpoint) async throws -> NIOAsyncChannel<String, String> {
        let key = endpoint.address.description
        let expected = try KnownLocators.load(from: knownLocatorsFile).expectedPin(for: endpoint.address, service: setup.addresses)
        let context = try makeTLSContext()
        let host = endpoint.address.host
        let handshakeTimeout = TimeAmount(timing.connectTimeout)
        let pin: PinPolicy = expected.map { .expect($0.fingerprint) } ?? .trustOnFirstUse
        let channel: NIOAsyncChannel<String, String>
        let handshake: EventLoopFuture<Void>
        do {
            (channel, handshake) = try await ClientBootstrap(group: setup.group)
                .connectTimeout(TimeAmount(timing.connectTimeout))
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .connect(host: endpoint.ip, port: endpoint.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handshake = channel.eventLoop.makePromise(of: Void.self)
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addPinnedTLSClientHandlers(context: context, serverHostname: host, pin: pin)
                        try pipeline.addHandler(TLSHandshakeWaiter(promise: handshake, timeout: handshakeTimeout))
                        try pipeline.addHandler(ByteToMessageHandler(LineFrameDecoder()))
                        try pipeline.addHandler(MessageToByteHandler(LineEncoder()))
                        let wrapped = try NIOAsyncChannel<String, String>(wrappingChannelSynchronously: channel)
                        return (wrapped, handshake.futureResult)
                    }
                }
        } catch {
            throw LocatorClientError.unreachable(locator: endpoint.name, reason: LocatorClientError.describe(error))
        }
        do {
            state.handshaking = channel.channel
            defer { state.handshaking = nil }
            guard state.phase != .stopped else { throw ChannelError.ioOnClosedChannel }
            try await handshake.get()
        } catch {
            try? await channel.channel.close()
            if let mismatch = error as? PinMismatchError, let expected {
                throw mismatchError(at: endpoint, expected: expected, presented: mismatch.presented)
            }
            throw LocatorClientError.tlsFailed(locator: endpoint.name, reason: LocatorClientError.describe(error))
        }
        if expected?.key != key {
            do {
                try await record(try peerFingerprint(of: channel.channel).get(), at: endpoint, adopting: expected)
            } catch {
                try? await channel.channel.close()
                throw error
            }
        }
        return channel
    }

    /// The refusal of a replica that presented `presented`: a changed identity when its own
    /// address was pinned, another identity than the service's when another address was.
    private func mismatchError(
        at endpoint: LocatorEndpoint, expected: (fingerprint: ChatIdentity.Fingerprint, key: String),
        presented: ChatIdentity.Fingerprint?
    ) -> LocatorClientError {
        if expected.key == endpoint.address.description {
            return .identityChanged(
                locator: endpoint.name, pinned: expected.fingerprint, presented: presented, file: knownLocatorsFile.path)
        }
        return .otherIdentity(locator: endpoint.name, pinnedAt: expected.key, pinned: expected.fingerprint, presented: presented)
    }

    /// Records the fingerprint the replica presented for its address, like ssh's known_hosts: on
    /// first contact with the service (trust on first use), or, when `adopting` the service's pin
    /// from another address, so that this address alone is checked the same way next time.
    private func record(
        _ presented: ChatIdentity.Fingerprint?, at endpoint: LocatorEndpoint,
        adopting service: (fingerprint: ChatIdentity.Fingerprint, key: String)?
    ) throws {
        guard let presented else {
            throw LocatorClientError.tlsFailed(locator: endpoint.name, reason: "it presented no usable certificate")
        }
        let key = endpoint.address.description
        // Read again just before writing, so pins another client wrote meanwhile are kept.
        var known = try KnownLocators.load(from: knownLocatorsFile)
        if let pinned = known.expectedPin(for: endpoint.address, service: setup.addresses), pinned.fingerprint != presented {
            throw mismatchError(at: endpoint, expected: pinned, presented: presented)
        }
        if known.fingerprint(for: key) != nil { return }
        known.pin(presented, for: key)
        do {
            try known.save()
            logger.notice(
                service == nil
                    ? "pinned the locator's identity on first contact" : "pinned the service's identity for another of its replicas",
                metadata: ["fingerprint": "\(presented.grouped)", "at": "\(key)", "file": "\(knownLocatorsFile.path)"])
        } catch {
            // Like ssh: the connection is still the one the user asked for; the pin just is not kept.
            logger.warning(
                "cannot record the locator's fingerprint; it will be trusted again next time",
                metadata: ["file": "\(knownLocatorsFile.path)", "error": "\(error.localizedDescription)"])
        }
    }

    private func makeTLSContext() throws -> NIOSSLContext {
        if let tlsContext { return tlsContext }
        do {
            // No certificate is presented, so any identity will do when the engine gave none.
            let identity = try self.identity ?? Identity.generate(commonName: "p2pchat locator client")
            let context = try identity.makeClientContext(presentCertificate: false)
            tlsContext = context
            return context
        } catch {
            throw LocatorClientError.tlsFailed(locator: locatorName, reason: "cannot set up TLS: \(error)")
        }
    }
}
