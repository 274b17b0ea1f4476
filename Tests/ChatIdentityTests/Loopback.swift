import ChatIdentity
import NIOCore
import NIOPosix
import NIOSSL
import Testing

/// A real TLS server and client on 127.0.0.1, for handshake tests.
///
/// The conversation: the client sends a line, the server answers with the hex fingerprint it
/// sees for the client ("none" without one), the client reads the answer and closes. Each side
/// reads its peer's fingerprint while the other is still waiting, so the TLS handler is still
/// in the pipeline.
enum Loopback {
    typealias Connection = NIOAsyncChannel<ByteBuffer, ByteBuffer>

    /// What the client learned from one exchange.
    struct Exchange: Sendable {
        /// The fingerprint the server reported seeing for the client.
        var clientAsSeenByServer: String
        /// The server's fingerprint as authenticated by the client.
        var server: Fingerprint?
        var tlsVersion: TLSVersion?
    }

    /// Runs a server whose TLS handlers `installTLS` adds, calls `body` with its port, and stops it.
    @discardableResult
    static func withServer<Result: Sendable>(
        installTLS: @escaping @Sendable (any Channel) throws -> Void,
        _ body: @Sendable (Int) async throws -> Result
    ) async throws -> Result {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try installTLS(channel)
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
        let port = try #require(server.channel.localAddress?.port)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await server.executeThenClose { inbound in
                    try await withThrowingDiscardingTaskGroup { connections in
                        for try await connection in inbound {
                            connections.addTask { await Self.answer(connection) }
                        }
                    }
                }
            }
            defer { group.cancelAll() }
            return try await body(port)
        }
    }

    /// A server for `identity` through this library's own helpers.
    @discardableResult
    static func withServer<Result: Sendable>(
        identity: Identity,
        clientAuthentication: Identity.ClientAuthentication,
        _ body: @Sendable (Int) async throws -> Result
    ) async throws -> Result {
        let context = try identity.makeServerContext(clientAuthentication: clientAuthentication)
        return try await Self.withServer(
            installTLS: { channel in try channel.pipeline.syncOperations.addPinnedTLSServerHandlers(context: context) },
            body
        )
    }

    /// Connects with TLS handlers added by `installTLS`, and runs the exchange.
    static func exchange(
        port: Int,
        installTLS: @escaping @Sendable (any Channel) throws -> Void
    ) async throws -> Exchange {
        let client = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try installTLS(channel)
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
        return try await client.executeThenClose { inbound, outbound in
            do {
                try await outbound.write(ByteBuffer(string: "hello\n"))
            } catch {
                // A refused handshake can close the channel under the write; the reason is on
                // the inbound stream, and that is the error the tests assert on.
                for try await _ in inbound {}
                throw error
            }
            var answer = ""
            for try await var buffer in inbound {
                answer += buffer.readString(length: buffer.readableBytes) ?? ""
                if answer == "none" || answer.utf8.count >= 64 { break }
            }
            return Exchange(
                clientAsSeenByServer: answer,
                server: try await peerFingerprint(of: client.channel).get(),
                tlsVersion: try await client.channel.nioSSL_tlsVersion().get()
            )
        }
    }

    /// Connects with this library's client helpers.
    static func exchange(port: Int, context: NIOSSLContext, pin: PinPolicy) async throws -> Exchange {
        try await Self.exchange(port: port) { channel in
            try channel.pipeline.syncOperations.addPinnedTLSClientHandlers(
                context: context,
                serverHostname: "127.0.0.1",
                pin: pin
            )
        }
    }

    /// Connects and only reads: for handshakes expected to fail, where the error arrives on the
    /// inbound stream.
    static func readOnly(port: Int, context: NIOSSLContext, pin: PinPolicy) async throws {
        let client = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addPinnedTLSClientHandlers(
                        context: context,
                        serverHostname: nil,
                        pin: pin
                    )
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
        try await client.executeThenClose { inbound, _ in
            for try await _ in inbound {}
        }
    }

    /// The server's side of the conversation. Errors end the connection only: a refused
    /// handshake is asserted by the client.
    private static func answer(_ connection: Connection) async {
        try? await connection.executeThenClose { inbound, outbound in
            var answered = false
            for try await _ in inbound where !answered {
                let client = try await peerFingerprint(of: connection.channel).get()
                try await outbound.write(ByteBuffer(string: client?.hex ?? "none"))
                answered = true
            }
        }
    }
}
