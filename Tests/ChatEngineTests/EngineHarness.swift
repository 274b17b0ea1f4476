import ChatEngine
import ChatIdentity
import ChatWire
import Foundation
import Locator
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing
import TestSupport

/// One user's engine on 127.0.0.1, with the events it published so far, for assertions.
final class TestUser: Sendable {
    let name: String
    let engine: ChatEngine
    let events: EventLog
    let dataDirectory: URL

    var password: String { "\(name)-pw" }

    convenience init(
        _ user: String, locator: TestLocator, root: URL, configure: (inout EngineConfiguration) -> Void = { _ in }
    ) throws {
        try self.init(user, locators: [LocatorAddress(host: "127.0.0.1", port: locator.port)], root: root, configure: configure)
    }

    /// A user of the locator service whose replicas are `locators`.
    init(
        _ user: String, locators: [LocatorAddress], root: URL, configure: (inout EngineConfiguration) -> Void = { _ in }
    ) throws {
        name = user
        dataDirectory = root.appendingPathComponent(user)
        var configuration = EngineConfiguration(
            user: user, dataDirectory: dataDirectory, locators: locators, listenHost: "127.0.0.1", retryInterval: .seconds(1))
        configuration.parts.messaging.ackWait = .seconds(2)
        configure(&configuration)
        engine = try ChatEngine(configuration: configuration, logger: TestUser.logger(user))
        events = EventLog(engine.events)
    }

    @discardableResult
    func login() async throws -> LocatorClient.LoginOutcome {
        try await engine.login(password: password)
    }

    /// The bodies of the conversation with `peer`, oldest first, as `/history` shows them.
    func bodies(with peer: String) async throws -> [String] {
        try await engine.history(with: peer, limit: 1000).map(\.body)
    }

    static func logger(_ label: String) -> Logger {
        var logger = Logger(label: label) { label -> any LogHandler in
            ProcessInfo.processInfo.environment["P2PCHAT_TEST_LOG"] != nil
                ? StreamLogHandler.standardError(label: label) : SwiftLogNoOpLogHandler()
        }
        logger.logLevel = .debug
        return logger
    }
}

/// A locator and the engines of one test, in one temporary directory; everything is closed at the end.
final class TestNetwork: Sendable {
    let root: URL
    private let current: Mutex<TestLocator>
    private let users = Mutex<[TestUser]>([])

    var locator: TestLocator { current.withLock { $0 } }
    var locatorDirectory: URL { root.appendingPathComponent("locator") }

    private init(root: URL, locator: TestLocator) {
        self.root = root
        self.current = Mutex(locator)
    }

    /// Runs `body` with a fresh locator; closes every engine and the locator afterwards, whatever happens.
    static func run(_ body: (TestNetwork) async throws -> Void) async throws {
        try await withTemporaryDirectory(prefix: "p2pchat-engine-test") { root in
            let locator = try await TestLocator.start(in: root.appendingPathComponent("locator"))
            let network = TestNetwork(root: root, locator: locator)
            do {
                try await body(network)
            } catch {
                await network.shutdown()
                throw error
            }
            await network.shutdown()
        }
    }

    /// A new engine for `name` on its data directory (the same one after a restart), logged in unless told not to.
    func user(_ name: String, login: Bool = true, configure: (inout EngineConfiguration) -> Void = { _ in }) async throws -> TestUser {
        let user = try TestUser(name, locator: locator, root: root, configure: configure)
        users.withLock { $0.append(user) }
        if login { try await user.login() }
        return user
    }

    /// Closes `user`'s engine and starts a new one on the same data directory (and logs it in).
    func restart(_ user: TestUser, login: Bool = true) async throws -> TestUser {
        await user.engine.close()
        return try await self.user(user.name, login: login)
    }

    /// Stops the locator and starts a new one on the same port, with the same database and identity.
    func restartLocator() async throws {
        let old = locator
        let port = old.port
        await old.stop()
        let new = try await TestLocator.start(in: locatorDirectory) { $0.port = port }
        current.withLock { $0 = new }
    }

    func shutdown() async {
        for user in users.withLock({ $0 }) { await user.engine.close() }
        await locator.stop()
    }
}

/// Makes `a` and `b` friends the way users do: `a` asks, `b` accepts.
func befriend(_ a: TestUser, _ b: TestUser) async throws {
    try await a.engine.addFriend(b.name)
    let request = await b.events.first { $0.friendRequestFrom == a.name }
    try #require(request != nil, "\(b.name) never saw \(a.name)'s friend request")
    try await b.engine.acceptFriend(a.name)
    let added = await a.events.first { $0 == .friends(.added(id: b.name)) }
    try #require(added != nil, "\(a.name) never saw \(b.name) accept")
}

/// Polls `condition` until it holds or `limit` passes; returns whether it held.
func eventually(within limit: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + limit
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(50))
    }
}

extension EngineEvent {
    var message: StoredMessage? {
        if case .messaging(.message(let message)) = self { message } else { nil }
    }

    var friendRequestFrom: String? {
        if case .friends(.request(let from, _)) = self { from } else { nil }
    }

    var securityWarning: String? {
        if case .session(.securityWarning(let text)) = self { text } else { nil }
    }

    var isLocatorConnected: Bool? {
        if case .session(.locator(let connected, _)) = self { connected } else { nil }
    }
}

/// Everything a source published, kept for assertions, and a way to wait for one item.
actor Recorder<Item: Sendable> {
    private struct Waiter {
        var id: Int
        var from: Int
        var predicate: @Sendable (Item) -> Bool
        var continuation: CheckedContinuation<Item?, Never>
    }

    private(set) var all: [Item] = []
    private(set) var isFinished = false
    private var waiters: [Waiter] = []
    private var nextWaiter = 0

    func record(_ item: Item) {
        all.append(item)
        let index = all.count - 1
        let matched = waiters.filter { index >= $0.from && $0.predicate(item) }
        waiters.removeAll { waiter in matched.contains { $0.id == waiter.id } }
        for waiter in matched { waiter.continuation.resume(returning: item) }
    }

    func finish() {
        isFinished = true
    }

    /// How many items there are so far: pass it to `first(after:)` to wait only for newer ones.
    func mark() -> Int { all.count }

    /// The first item (at index `after` or later) so far or within `timeout` that satisfies `predicate`, or nil.
    func first(
        after start: Int = 0, within timeout: Duration = .seconds(10), where predicate: @escaping @Sendable (Item) -> Bool
    ) async -> Item? {
        if let item = all.dropFirst(start).first(where: predicate) { return item }
        let id = nextWaiter
        nextWaiter += 1
        return await withCheckedContinuation { continuation in
            waiters.append(Waiter(id: id, from: start, predicate: predicate, continuation: continuation))
            Task {
                try? await Task.sleep(for: timeout)
                self.expire(id)
            }
        }
    }

    private func expire(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(returning: nil)
    }

    func count(after start: Int = 0, where predicate: (Item) -> Bool) -> Int {
        all.dropFirst(start).filter(predicate).count
    }

    /// Whether the source ended within `timeout`.
    func waitUntilFinished(within timeout: Duration = .seconds(5)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !isFinished, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return isFinished
    }
}

/// An engine's events.
typealias EventLog = Recorder<EngineEvent>

extension Recorder where Item == EngineEvent {
    init(_ stream: AsyncStream<EngineEvent>) {
        self.init()
        Task { [weak self] in
            for await event in stream { await self?.record(event) }
            await self?.finish()
        }
    }
}

// MARK: - A hand-written peer

/// A peer written by hand on the wire formats, to say what a well-behaved engine never would.
///
/// It dials with mutual TLS (`addPinnedTLSClientHandlers`), reads `PeerFrame`s with
/// `PeerFrameDecoder` and writes raw bytes, so a test can send any frame, or a broken header.
final class RawPeer: Sendable {
    let name: String
    let identity: Identity
    /// Every envelope received, in order; finished when the connection closes.
    let received = Recorder<Envelope>()
    private let channel: any Channel
    private let outgoing: AsyncStream<ByteBuffer>.Continuation
    private let serving: Task<Void, Never>

    private init(name: String, identity: Identity, channel: NIOAsyncChannel<PeerFrame, ByteBuffer>) {
        self.name = name
        self.identity = identity
        self.channel = channel.channel
        let (stream, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
        self.outgoing = continuation
        let received = received
        self.serving = Task {
            try? await channel.executeThenClose { inbound, outbound in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await bytes in stream { try await outbound.write(bytes) }
                    }
                    for try await frame in inbound {
                        if case .envelope(let payload) = frame, let envelope = try? Envelope.decode(from: payload) {
                            await received.record(envelope)
                        }
                    }
                    group.cancelAll()
                }
            }
            await received.finish()
        }
    }

    deinit {
        outgoing.finish()
        channel.close(promise: nil)
    }

    /// Dials `port` as `name` with `identity`, expecting the listener's certificate `pin`.
    static func dial(as name: String, identity: Identity, port: Int, pin: Fingerprint) async throws -> RawPeer {
        let context = try identity.makeClientContext(presentCertificate: true)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addPinnedTLSClientHandlers(context: context, serverHostname: "127.0.0.1", pin: .expect(pin))
                    try pipeline.addHandler(ByteToMessageHandler(PeerFrameDecoder()))
                    return try NIOAsyncChannel<PeerFrame, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return RawPeer(name: name, identity: identity, channel: channel)
    }

    /// Dials `user`'s engine, sends `Hello` and returns its answering `Hello`, or nil when refused.
    static func connect(as name: String, identity: Identity, to user: TestUser) async throws -> (RawPeer, Envelope?) {
        let port = try #require(await user.engine.peerPort, "\(user.name) is not listening")
        let peer = try await dial(as: name, identity: identity, port: port, pin: user.engine.fingerprint)
        try peer.send(Envelope(type: .hello, source: name, target: user.name))
        let hello = await peer.received.first(within: .seconds(5)) { $0.type == .hello }
        return (peer, hello)
    }

    func send(_ envelope: Envelope) throws {
        send(frame: .envelope(try envelope.encoded()))
    }

    func send(frame: PeerFrame) {
        var bytes = ByteBuffer()
        PeerFrameEncoder.write(frame, into: &bytes)
        send(raw: bytes)
    }

    /// Bytes exactly as given: a broken header, half a frame.
    func send(raw bytes: ByteBuffer) {
        outgoing.yield(bytes)
    }

    func close() async {
        outgoing.finish()
        try? await channel.close()
        await serving.value
    }
}

/// A user of the locator that no engine drives: logged in and advertising what the test says.
struct LocatorPresence {
    let client: ModernLocatorClient

    static func login(_ user: String, fingerprint: Fingerprint, at locator: TestLocator) async throws -> LocatorPresence {
        let client = try await ModernLocatorClient.connect(to: locator)
        let login = try await client.login(user, password: "\(user)-pw")
        guard case .ok = login else { throw HarnessError("LOGIN refused: \(login)") }
        // Any port will do: this peer only ever dials out.
        let advertised = try await client.request(.advertise(port: 9, fingerprint: fingerprint.hex))
        guard case .ok = advertised else { throw HarnessError("ADVERTISE refused: \(advertised)") }
        return LocatorPresence(client: client)
    }

    func close() async {
        await client.close()
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
