@testable import ChatEngine
import ChatIdentity
import ChatWire
import Locator
import NIOCore
import NIOPosix
import Testing
import TestSupport

/// The TURN client against a real coturn on loopback, with credentials made as the locator makes them.
@Suite("TurnClient against coturn", .enabled(if: TestTurnServer.isInstalled, TestTurnServer.missingReason), .timeLimit(.minutes(2)))
struct TurnClientTests {
    private func credentials(_ server: TestTurnServer, lifetime: Duration = .seconds(600), secret: [UInt8]? = nil) -> TurnCredentials {
        TurnCredentials(TurnRelay(host: server.host, port: server.port, secret: secret ?? server.secret, credentialLifetime: lifetime).offer(for: "alice"))
    }

    /// A connected client whose reader runs while `body` does; closed afterwards.
    private func withClient<R: Sendable>(
        _ server: TestTurnServer, credentials: TurnCredentials? = nil, _ body: @Sendable (TurnClient) async throws -> R
    ) async throws -> R {
        let client = try await TurnClient.connect(
            to: try SocketAddress(ipAddress: server.host, port: server.port), credentials: credentials ?? self.credentials(server))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            do {
                let result = try await body(client)
                await client.close()
                return result
            } catch {
                await client.close()
                throw error
            }
        }
    }

    /// A UDP peer on loopback that sends every datagram back, while `body` runs.
    private func withDatagramEcho<R: Sendable>(_ body: @Sendable (StunAddress) async throws -> R) async throws -> R {
        let echo = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { $0.pipeline.addHandler(DatagramEcho()) }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { echo.close(promise: nil) }
        return try await body(try #require(StunAddress(echo.localAddress!)))
    }

    @Test("a UDP allocation: the 401 dance, a relayed address, and a datagram to a permitted peer and back")
    func udpRelay() async throws {
        try await withTestTurnServer { server in
            try await withDatagramEcho { peer in try await withClient(server) { client in
                let allocation = try await client.allocate(transport: StunAttribute.udpTransport)
                #expect(allocation.relayed.host == "127.0.0.1")
                #expect(allocation.mapped?.host == "127.0.0.1")
                #expect(allocation.lifetime > .zero)
                try await client.createPermission(for: [peer])
                try await client.send(Array("through the relay".utf8), to: peer)
                var datagrams = client.peerData.makeAsyncIterator()
                let back = try #require(await datagrams.next())
                #expect(back.peer == peer)
                #expect(back.bytes == Array("through the relay".utf8))
            } }
        }
    }

    @Test("credentials under another secret, or expired ones, are refused in one clear line")
    func refusedCredentials() async throws {
        try await withTestTurnServer { server in
            for credentials in [self.credentials(server, secret: Array("not the secret".utf8)), self.credentials(server, lifetime: .seconds(-60))] {
                try await withClient(server, credentials: credentials) { client in
                    do {
                        _ = try await client.allocate(transport: StunAttribute.udpTransport)
                        Issue.record("the relay took credentials it should refuse")
                    } catch let error as TurnError {
                        guard case .refused(.allocate, 401, _) = error else {
                            Issue.record("refused with \(error)")
                            return
                        }
                        #expect(error.description.hasPrefix("the TURN relay refused the credentials"))
                        #expect(!error.description.contains("\n"))
                    }
                }
            }
        }
    }

    @Test("Refresh is granted more time; a Refresh with lifetime 0 (delete) is granted none")
    func refresh() async throws {
        try await withTestTurnServer { server in
            try await withClient(server) { client in
                _ = try await client.allocate(transport: StunAttribute.udpTransport)
                #expect(try await client.refresh(lifetime: .seconds(300)) > .zero)
                #expect(try await client.refresh(lifetime: .zero) == .zero)
            }
        }
    }

    @Test("an allocation that lasts 4 s is refreshed on its own at half its lifetime, and relays after")
    func maintained() async throws {
        let server = try TestTurnServer.start(extraArguments: ["--max-allocate-lifetime=4"])
        defer { server.stop() }
        try await withDatagramEcho { peer in try await withClient(server) { client in
            let allocation = try await client.allocate(transport: StunAttribute.udpTransport)
            #expect(allocation.lifetime == .seconds(4))
            try await client.createPermission(for: [peer])
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await client.maintain(lifetime: allocation.lifetime, permissions: [peer]) }
                var refreshes = client.refreshes.makeAsyncIterator()
                // coturn grants a refresh its default (600 s), whatever the cap on a first Allocate.
                let granted = try #require(await refreshes.next())
                #expect(granted >= .seconds(4))
                group.cancelAll()
            }
            try await client.send(Array("still here".utf8), to: peer)
            var datagrams = client.peerData.makeAsyncIterator()
            #expect(await datagrams.next()?.bytes == Array("still here".utf8))
        } }
    }

    @Test("a TCP allocation (RFC 6062): Connect, then ConnectionBind on a second connection carries a TCP stream both ways")
    func tcpConnect() async throws {
        try await withTestTurnServer { server in
            let echo = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .childChannelInitializer { $0.pipeline.addHandler(StreamEcho()) }
                .bind(host: "127.0.0.1", port: 0).get()
            defer { echo.close(promise: nil) }
            let peer = try #require(StunAddress(echo.localAddress!))
            try await withClient(server) { client in
                _ = try await client.allocate(transport: StunAttribute.tcpTransport)
                try await client.createPermission(for: [peer])
                let id = try await client.connect(to: peer)
                let stream = try await client.bind(id) { channel in
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
                let text = "a TCP stream through coturn"
                #expect(try await Self.exchange(text, on: stream) == text)
            }
        }
    }

    @Test("a peer connecting to the relayed TCP address arrives as a ConnectionAttempt; once bound, bytes flow both ways")
    func tcpIncoming() async throws {
        try await withTestTurnServer { server in
            try await withClient(server) { client in
                let allocation = try await client.allocate(transport: StunAttribute.tcpTransport)
                try await client.createPermission(for: [StunAddress(addressBytes: [127, 0, 0, 1], port: 0)!])
                let dialer = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(to: allocation.relayed.socketAddress) { channel in
                        channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
                    }
                var attempts = client.connectionAttempts.makeAsyncIterator()
                let attempt = try #require(await attempts.next())
                #expect(attempt.peer.host == "127.0.0.1")
                let accepted = try await client.bind(attempt.connectionID) { channel in
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
                // The dialer speaks first, as a TLS client does; the relay held its bytes until the bind.
                try await dialer.executeThenClose { inbound, outbound in
                    try await outbound.write(ByteBuffer(string: "hello from the peer"))
                    try await accepted.executeThenClose { acceptedInbound, acceptedOutbound in
                        #expect(try await Self.read(count: 19, from: acceptedInbound) == "hello from the peer")
                        try await acceptedOutbound.write(ByteBuffer(string: "hello back"))
                        #expect(try await Self.read(count: 10, from: inbound) == "hello back")
                    }
                }
            }
        }
    }

    @Test("mutual TLS 1.3, pinned both ways, runs through a TCP allocation; a wrong pin fails the handshake")
    func pinnedTLSThroughRelay() async throws {
        let friend = try Identity.generate(commonName: "bob")
        let me = try Identity.generate(commonName: "alice")
        let stranger = try Identity.generate(commonName: "mallory")
        let serverContext = try friend.makeServerContext(clientAuthentication: .required)
        let clientContext = try me.makeClientContext(presentCertificate: true)
        try await withTestTurnServer { server in
            let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addPinnedTLSServerHandlers(context: serverContext, pin: .expect(me.fingerprint))
                        try channel.pipeline.syncOperations.addHandler(StreamEcho())
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
            defer { listener.close(promise: nil) }
            let peer = try #require(StunAddress(listener.localAddress!))
            try await withClient(server) { client in
                _ = try await client.allocate(transport: StunAttribute.tcpTransport)
                try await client.createPermission(for: [peer])
                for (pin, works) in [(friend.fingerprint, true), (stranger.fingerprint, false)] {
                    let stream = try await client.bind(try await client.connect(to: peer)) { channel in
                        try channel.pipeline.syncOperations.addPinnedTLSClientHandlers(
                            context: clientContext, serverHostname: peer.host, pin: .expect(pin))
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                    let text = "sealed end to end"
                    if works {
                        #expect(try await Self.exchange(text, on: stream) == text)
                    } else {
                        await #expect(throws: PinMismatchError.self) {
                            try await stream.executeThenClose { inbound, _ in for try await _ in inbound {} }
                        }
                    }
                }
            }
        }
    }

    /// Writes `text` and reads as many bytes back.
    private static func exchange(_ text: String, on channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async throws -> String {
        try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: text))
            return try await read(count: text.utf8.count, from: inbound)
        }
    }

    private static func read(count: Int, from inbound: NIOAsyncChannelInboundStream<ByteBuffer>) async throws -> String {
        var collected = ByteBuffer()
        for try await var piece in inbound {
            collected.writeBuffer(&piece)
            if collected.readableBytes >= count { break }
        }
        return collected.readString(length: collected.readableBytes) ?? ""
    }
}

/// Sends every datagram back where it came from.
private final class DatagramEcho: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.writeAndFlush(data, promise: nil)
    }
}

/// Writes every byte back.
private final class StreamEcho: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.writeAndFlush(data, promise: nil)
    }
}
