import ChatEngine
import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// A TCP listener on 127.0.0.1 that takes connections and never answers: a locator that hangs.
private final class SilentLocator: Sendable {
    let port: Int
    private let channel: any Channel
    private let accepted: AsyncStream<Void>
    private let acceptedSink: AsyncStream<Void>.Continuation

    private final class Announce: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let sink: AsyncStream<Void>.Continuation
        init(_ sink: AsyncStream<Void>.Continuation) { self.sink = sink }
        func channelActive(context: ChannelHandlerContext) {
            sink.yield()
            context.fireChannelActive()
        }
    }

    init() async throws {
        let (accepted, acceptedSink) = AsyncStream.makeStream(of: Void.self)
        (self.accepted, self.acceptedSink) = (accepted, acceptedSink)
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Announce(acceptedSink)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
    }

    /// Returns once a client has connected.
    func firstConnection() async {
        var iterator = accepted.makeAsyncIterator()
        _ = await iterator.next()
    }

    func close() async {
        try? await channel.close()
        acceptedSink.finish()
    }
}

private func outcome<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
    do {
        return .success(try await body())
    } catch {
        return .failure(error)
    }
}

@Suite("ChatEngine: one login at a time, and a logout that ends a login under way")
struct ChatEngineLoginStateTests {
    @Test("two logins at once: one logs in, the other is refused, and one session exists")
    func concurrentLogins() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice", login: false)
            async let first = outcome { try await alice.login() }
            async let second = outcome { try await alice.login() }
            let outcomes = await [first, second]
            let refusals = outcomes.compactMap { outcome -> EngineError? in
                if case .failure(let error) = outcome { error as? EngineError } else { nil }
            }
            #expect(outcomes.filter { if case .success = $0 { true } else { false } }.count == 1)
            #expect(refusals == [.alreadyLoggedIn("alice")])
            #expect(await alice.engine.isLoggedIn)
            #expect(await alice.events.count { if case .session(.loggedIn) = $0 { true } else { false } } == 1)

            // The one session works: a friend reaches alice.
            let bob = try await network.user("bob")
            try await befriend(bob, alice)
            try await bob.engine.send("one of you", to: "alice")
            #expect(await alice.events.first { $0.message?.body == "one of you" } != nil)
        }
    }

    @Test("a logout while the locator does not answer ends the login at once, and nothing of it stays")
    func logoutDuringLogin() async throws {
        try await TestNetwork.run { network in
            let silent = try await SilentLocator()
            let alice = try await network.user("alice", login: false) { $0.locators = [LocatorAddress(host: "127.0.0.1", port: silent.port)] }
            let login = Task { try await alice.login() }
            await silent.firstConnection()

            await alice.engine.logout()
            let outcome = await login.result
            #expect(throws: EngineError.loggedOutDuringLogin("alice")) { try outcome.get() }
            #expect(await !alice.engine.isLoggedIn)
            #expect(await alice.engine.peerPort == nil)
            #expect(await alice.events.count { if case .session(.loggedIn) = $0 { true } else { false } } == 0)
            await silent.close()
        }
    }
}
