import ChatIdentity
import ChatWire
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

extension ModernLocatorClient {
    /// Opens a TLS connection; the handshake, with the pin check, is complete when this returns.
    func connect() async throws -> NIOAsyncChannel<String, String> {
        let key = locatorName
        let pinned = try KnownLocators.load(from: knownLocatorsFile).fingerprint(for: key)
        let context = try makeTLSContext()
        let host = setup.host
        let handshakeTimeout = TimeAmount(timing.connectTimeout)
        let pin: PinPolicy = pinned.map { .expect($0) } ?? .trustOnFirstUse
        let channel: NIOAsyncChannel<String, String>
        let handshake: EventLoopFuture<Void>
        do {
            (channel, handshake) = try await ClientBootstrap(group: setup.group)
                .connectTimeout(TimeAmount(timing.connectTimeout))
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .connect(host: host, port: setup.port) { channel in
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
            throw LocatorClientError.unreachable(locator: key, reason: LocatorClientError.describe(error))
        }
        do {
            state.handshaking = channel.channel
            defer { state.handshaking = nil }
            guard state.phase != .stopped else { throw ChannelError.ioOnClosedChannel }
            try await handshake.get()
        } catch {
            try? await channel.channel.close()
            if let mismatch = error as? PinMismatchError {
                guard let expected = mismatch.expected else {
                    throw LocatorClientError.tlsFailed(locator: key, reason: "it presented no usable certificate")
                }
                throw LocatorClientError.identityChanged(
                    locator: key, pinned: expected, presented: mismatch.presented, file: knownLocatorsFile.path)
            }
            throw LocatorClientError.tlsFailed(locator: key, reason: LocatorClientError.describe(error))
        }
        if pinned == nil {
            do {
                try await pinOnFirstUse(try peerFingerprint(of: channel.channel).get())
            } catch {
                try? await channel.channel.close()
                throw error
            }
        }
        return channel
    }

    /// Trust on first use: records the fingerprint the locator presented, like ssh's known_hosts.
    private func pinOnFirstUse(_ presented: ChatIdentity.Fingerprint?) throws {
        guard let presented else {
            throw LocatorClientError.tlsFailed(locator: locatorName, reason: "it presented no usable certificate")
        }
        // Read again just before writing, so pins another client wrote meanwhile are kept.
        var known = try KnownLocators.load(from: knownLocatorsFile)
        if let pinned = known.fingerprint(for: locatorName) {
            guard pinned == presented else {
                throw LocatorClientError.identityChanged(
                    locator: locatorName, pinned: pinned, presented: presented, file: knownLocatorsFile.path)
            }
            return
        }
        known.pin(presented, for: locatorName)
        do {
            try known.save()
            logger.notice(
                "pinned the locator's identity on first contact",
                metadata: ["fingerprint": "\(presented.grouped)", "file": "\(knownLocatorsFile.path)"])
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
