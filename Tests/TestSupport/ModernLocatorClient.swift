import ChatIdentity
import ChatWire
import NIOCore
import NIOPosix

/// A modern-protocol client for tests: TLS 1.3 pinned with ChatIdentity's helpers, one `\n` line per
/// request and reply.
///
/// Replies and pushes are kept apart, as a real client must: a `PRESENCE` or `BYE` can arrive
/// between a request and its answer. Waits are bounded (`timeout`), so a test never hangs.
public final class ModernLocatorClient: Sendable {
    /// A wait ran out, or the connection ended where an answer was due.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    private let channel: any Channel
    private let outgoing: AsyncStream<ByteBuffer>.Continuation
    private let replies = Inbox<String>()
    private let pushes = Inbox<LocatorReply>()
    private let ending = Inbox<EndReason>()
    private let serving: Task<Void, Never>

    /// Why the connection ended: `nil` error for an orderly close.
    public struct EndReason: Sendable {
        public var error: (any Error)?
    }

    private init(channel: NIOAsyncChannel<String, ByteBuffer>) {
        self.channel = channel.channel
        let (stream, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
        self.outgoing = continuation
        let replies = replies, pushes = pushes, ending = ending
        self.serving = Task {
            var reason = EndReason(error: nil)
            do {
                try await channel.executeThenClose { inbound, outbound in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await bytes in stream { try await outbound.write(bytes) }
                        }
                        for try await line in inbound {
                            if let reply = LocatorReply(parsing: line), reply.isPush {
                                await pushes.put(reply)
                            } else {
                                await replies.put(line)
                            }
                        }
                        group.cancelAll()
                    }
                }
            } catch {
                reason.error = error
            }
            await replies.close()
            await pushes.close()
            await ending.put(reason)
        }
    }

    deinit {
        outgoing.finish()
        channel.close(promise: nil)
    }

    /// Connects to a locator on `host:port` and starts TLS, checking the server's certificate against `pin`.
    /// `source` is the local address to connect from (127.0.0.x: the locator sees another client host).
    ///
    /// The handshake runs in the background: a refused pin shows as the connection ending with a
    /// `PinMismatchError` (see `waitUntilClosed`).
    /// `connectTimeout` is NIO's default unless a test bounds its connections otherwise.
    public static func connect(
        port: Int, pin: PinPolicy, host: String = "127.0.0.1", from source: String? = nil,
        connectTimeout: TimeAmount = .seconds(10)
    ) async throws -> ModernLocatorClient {
        let identity = try Identity.generate(commonName: "locator test client")
        let context = try identity.makeClientContext(presentCertificate: false)
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connectTimeout(connectTimeout)
        if let source { bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: source, port: 0)) }
        let channel = try await bootstrap
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addPinnedTLSClientHandlers(context: context, serverHostname: host, pin: pin)
                    try pipeline.addHandler(ByteToMessageHandler(LineFrameDecoder()))
                    return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return ModernLocatorClient(channel: channel)
    }

    /// Connects to `locator`, pinning its fingerprint, from `source` when given.
    public static func connect(
        to locator: TestLocator, from source: String? = nil, connectTimeout: TimeAmount = .seconds(10)
    ) async throws -> ModernLocatorClient {
        try await connect(port: locator.port, pin: .expect(locator.fingerprint), from: source, connectTimeout: connectTimeout)
    }

    // MARK: Sending

    /// Sends `line` and its `\n`.
    public func send(line: String) {
        outgoing.yield(ByteBuffer(string: line + "\n"))
    }

    /// Sends bytes as they are (half a line, say).
    public func send(raw: ByteBuffer) {
        outgoing.yield(raw)
    }

    /// Sends `request` and returns the reply that answers it (pushes are set aside for `nextPush`).
    public func request(_ request: LocatorRequest, timeout: Duration = .seconds(5)) async throws -> LocatorReply {
        send(line: request.rendered)
        guard let line = try await nextReplyLine(timeout: timeout) else {
            throw Failure(description: "the connection closed instead of answering \(request.verb)")
        }
        guard let reply = LocatorReply(parsing: line) else {
            throw Failure(description: "unparseable reply to \(request.verb): '\(line.prefix(200))'")
        }
        return reply
    }

    /// `LOGIN user :password`.
    public func login(_ user: String, password: String) async throws -> LocatorReply {
        try await request(.login(user: user, password: password))
    }

    // MARK: Receiving

    /// The next line that is not a push; `nil` once the connection has closed.
    public func nextReplyLine(timeout: Duration = .seconds(5)) async throws -> String? {
        switch await replies.next(timeout: timeout) {
        case .item(let line): return line
        case .closed: return nil
        case .timedOut: throw Failure(description: "no reply within \(timeout)")
        }
    }

    /// The next `PRESENCE` or `BYE`; `nil` once the connection has closed and every push was read.
    public func nextPush(timeout: Duration = .seconds(5)) async throws -> LocatorReply? {
        switch await pushes.next(timeout: timeout) {
        case .item(let push): return push
        case .closed: return nil
        case .timedOut: throw Failure(description: "no push within \(timeout)")
        }
    }

    /// Waits until the connection has ended and returns the error that ended it (`nil`: an orderly close).
    public func waitUntilClosed(timeout: Duration = .seconds(5)) async throws -> (any Error)? {
        switch await ending.next(timeout: timeout) {
        case .item(let reason):
            await ending.put(reason)  // for the next caller
            return reason.error
        case .closed: return nil
        case .timedOut: throw Failure(description: "the connection was still open after \(timeout)")
        }
    }

    /// Closes the connection (without `LOGOUT`) and waits until it is down.
    public func close() async {
        outgoing.finish()
        try? await channel.close()
        await serving.value
    }

    /// A queue one reader waits on, with a deadline.
    actor Inbox<Item: Sendable> {
        enum Outcome {
            case item(Item)
            case closed
            case timedOut
        }

        private var items: [Item] = []
        private var isClosed = false
        private var waiter: (ticket: Int, continuation: CheckedContinuation<Outcome, Never>, timer: Task<Void, Never>)?
        private var tickets = 0

        func put(_ item: Item) {
            if let waiter {
                self.waiter = nil
                waiter.timer.cancel()
                waiter.continuation.resume(returning: .item(item))
            } else {
                items.append(item)
            }
        }

        func close() {
            isClosed = true
            if let waiter {
                self.waiter = nil
                waiter.timer.cancel()
                waiter.continuation.resume(returning: .closed)
            }
        }

        func next(timeout: Duration) async -> Outcome {
            if !items.isEmpty { return .item(items.removeFirst()) }
            if isClosed { return .closed }
            precondition(waiter == nil, "one reader at a time")
            tickets += 1
            let ticket = tickets
            return await withCheckedContinuation { continuation in
                let timer = Task {
                    try? await Task.sleep(for: timeout)
                    guard !Task.isCancelled else { return }
                    self.expire(ticket)
                }
                waiter = (ticket, continuation, timer)
            }
        }

        private func expire(_ ticket: Int) {
            guard let waiter, waiter.ticket == ticket else { return }
            self.waiter = nil
            waiter.continuation.resume(returning: .timedOut)
        }
    }
}
