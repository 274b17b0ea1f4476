import ChatIdentity
import ChatWire
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

extension LocatorClient {
    // MARK: Opening and closing

    /// Opens a connection in the client's protocol and starts its task. For the modern protocol
    /// the TLS handshake, with the pin check, is complete when this returns.
    func openLink(expecting expected: State) async throws -> Link {
        let channel = mode == .modern ? try await connectModern() : try await connectCourse()
        guard state == expected, link == nil else {
            try? await channel.channel.close()
            throw supersededError
        }
        let id = nextLinkID
        nextLinkID += 1
        let (outgoing, continuation) = AsyncStream.makeStream(of: String.self)
        let link = Link(id: id, outgoing: continuation)
        self.link = link
        linkReady = false
        pending = []
        lastWrite = .now
        linkTask = Task { await self.runLink(channel, outgoing: outgoing, id: id) }
        logger.debug("connected to the locator", metadata: ["link": "\(id)"])
        return link
    }

    /// Ends the link now: what waits on it fails, and its task closes the channel.
    func closeLink(_ link: Link, reason: String) {
        linkEnded(link.id, reason: reason)
    }

    private func connectModern() async throws -> NIOAsyncChannel<String, String> {
        let key = locatorName
        let pinned = try KnownLocators.load(from: knownLocatorsFile).fingerprint(for: key)
        let context = try makeTLSContext()
        let host = self.host
        let handshakeTimeout = TimeAmount(timing.connectTimeout)
        let pin: PinPolicy = pinned.map { .expect($0) } ?? .trustOnFirstUse
        let channel: NIOAsyncChannel<String, String>
        let handshake: EventLoopFuture<Void>
        do {
            (channel, handshake) = try await ClientBootstrap(group: group)
                .connectTimeout(TimeAmount(timing.connectTimeout))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: host, port: port) { channel in
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
            throw Error.unreachable(locator: key, reason: Self.describe(error))
        }
        do {
            try await handshake.get()
        } catch {
            try? await channel.channel.close()
            if let mismatch = error as? PinMismatchError {
                guard let expected = mismatch.expected else {
                    throw Error.tlsFailed(locator: key, reason: "it presented no usable certificate")
                }
                throw Error.identityChanged(
                    locator: key, pinned: expected, presented: mismatch.presented, file: knownLocatorsFile.path)
            }
            throw Error.tlsFailed(locator: key, reason: Self.describe(error))
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
            throw Error.tlsFailed(locator: locatorName, reason: "it presented no usable certificate")
        }
        // Read again just before writing, so pins another client wrote meanwhile are kept.
        var known = try KnownLocators.load(from: knownLocatorsFile)
        if let pinned = known.fingerprint(for: locatorName) {
            guard pinned == presented else {
                throw Error.identityChanged(
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
            throw Error.tlsFailed(locator: locatorName, reason: "cannot set up TLS: \(error)")
        }
    }

    private func connectCourse() async throws -> NIOAsyncChannel<String, String> {
        do {
            return try await ClientBootstrap(group: group)
                .connectTimeout(TimeAmount(timing.connectTimeout))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        // Each read is one reply: the course protocol has no terminator.
                        try pipeline.addHandler(ByteToMessageHandler(LegacyChunkDecoder()))
                        try pipeline.addHandler(MessageToByteHandler(CourseRequestEncoder()))
                        return try NIOAsyncChannel<String, String>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw Error.unreachable(locator: locatorName, reason: Self.describe(error))
        }
    }

    // MARK: The link's task

    /// Writes what is yielded to `outgoing`, hands every line read to `received`, and keeps the
    /// connection alive, until one of them ends; then the link ends and the channel closes.
    nonisolated func runLink(_ channel: NIOAsyncChannel<String, String>, outgoing: AsyncStream<String>, id: Int) async {
        let polls = mode == .course
        do {
            try await channel.executeThenClose { inbound, outbound in
                await withThrowingTaskGroup(of: String.self) { group in
                    group.addTask {
                        for await line in outgoing { try await outbound.write(line) }
                        return "closed by this client"
                    }
                    group.addTask {
                        for try await line in inbound { try await self.received(line, on: id) }
                        return "the locator closed the connection"
                    }
                    group.addTask {
                        try await self.keepAlive(id)
                        return "closed by this client"
                    }
                    if polls {
                        group.addTask {
                            await self.pollLoop(id)
                            return "closed by this client"
                        }
                    }
                    let reason: String
                    do {
                        reason = try await group.next() ?? "closed"
                    } catch {
                        reason = Self.describe(error)
                    }
                    // Before the group waits for its other tasks: a poll may be waiting for an
                    // answer, and only ending the link fails it.
                    await self.linkEnded(id, reason: reason)
                    group.cancelAll()
                }
            }
        } catch {
            await linkEnded(id, reason: Self.describe(error))
        }
    }

    /// Sends a ping when nothing was sent for `pingInterval` (the locator closes idle
    /// connections), and throws when the oldest request has waited too long for its answer.
    func keepAlive(_ id: Int) async throws {
        let tick = max(.milliseconds(10), min(timing.pingInterval, timing.replyTimeout, timing.logoutTimeout) / 4)
        while true {
            try await Task.sleep(for: tick)
            guard let link, link.id == id else { return }
            let now = ContinuousClock.now
            if let head = pending.first, let written = head.writtenAt, now - written > head.timeout {
                throw ReplyTimeout(request: head.request.summary, timeout: head.timeout)
            }
            // Not while logging in: the login's own replies, with their timeouts, show the link is alive.
            if linkReady, now - lastWrite >= timing.pingInterval {
                pingCounter += 1
                let ping: Pending.Request =
                    mode == .modern ? .modern(.ping(token: String(pingCounter))) : .course(.query(id: user))
                enqueue(Pending(request: ping, timeout: timing.replyTimeout, writtenAt: nil, waiter: nil))
            }
        }
    }

    // MARK: Requests and answers

    /// Sends `request` on `link` and waits for its answer (already checked to fit the request).
    func exchange(_ request: Pending.Request, on link: Link, timeout: Duration? = nil) async throws -> Answer {
        guard self.link?.id == link.id else { throw supersededError }
        let timeout = timeout ?? timing.replyTimeout
        return try await withCheckedThrowingContinuation { continuation in
            // Checked again here, in the same turn as the enqueue: a waiter queued on a dead
            // link would never be answered.
            guard self.link?.id == link.id else { return continuation.resume(throwing: supersededError) }
            enqueue(Pending(request: request, timeout: timeout, writtenAt: nil, waiter: continuation))
        }
    }

    func modernExchange(_ request: LocatorRequest, on link: Link) async throws -> LocatorReply {
        guard case .modern(let reply) = try await exchange(.modern(request), on: link) else {
            throw Error.protocolViolation("a course answer on a modern connection")
        }
        return reply
    }

    func courseExchange(_ request: LegacyRequest, on link: Link) async throws -> LegacyReply {
        guard case .course(let reply) = try await exchange(.course(request), on: link) else {
            throw Error.protocolViolation("a modern answer on a course connection")
        }
        return reply
    }

    /// Queues a request. Modern requests are written at once (the locator answers in order);
    /// a course request waits until the one before it is answered, since replies have no
    /// terminator and two of them could arrive as one read.
    private func enqueue(_ entry: Pending) {
        pending.append(entry)
        if mode == .modern || pending.count == 1 {
            write(at: pending.count - 1)
        }
    }

    private func write(at index: Int) {
        guard let link else { return }
        pending[index].writtenAt = .now
        lastWrite = .now
        link.outgoing.yield(pending[index].request.line)
    }

    /// One line (modern) or one read (course) from the locator. Throwing drops the connection:
    /// whatever does not fit the protocol is never guessed at.
    func received(_ line: String, on id: Int) throws {
        guard let link, link.id == id else { return }
        switch mode {
        case .modern: try receivedModern(line)
        case .course: try receivedCourse(line)
        }
    }

    private func receivedModern(_ line: String) throws {
        guard let reply = LocatorReply(parsing: line) else {
            throw Error.protocolViolation("an unreadable line '\(Self.excerpt(line))'")
        }
        switch reply {
        case .presence(let user, let address):
            presenceChanged(user, Self.normalized(address, of: user))
            return
        case .bye(let reason):
            if reason == "replaced" {
                fail("logged in elsewhere")
            } else {
                logger.notice("the locator is closing the connection", metadata: ["reason": "\(reason)"])
            }
            return
        default:
            break
        }
        guard let head = pending.first else {
            throw Error.protocolViolation("an answer to nothing: '\(Self.excerpt(line))'")
        }
        guard case .modern(let request) = head.request, Self.reply(reply, answers: request) else {
            throw Error.protocolViolation("'\(Self.excerpt(line))' does not answer \(head.request.summary)")
        }
        pending.removeFirst()
        head.waiter?.resume(returning: .modern(reply))
    }

    private func receivedCourse(_ text: String) throws {
        guard let head = pending.first, head.writtenAt != nil, case .course(let request) = head.request else {
            throw Error.protocolViolation("'\(Self.excerpt(text))' from the course server, unasked")
        }
        guard let reply = LegacyReply(parsing: text, answering: request) else {
            throw Error.protocolViolation("'\(Self.excerpt(text))' does not answer a \(head.request.summary)")
        }
        pending.removeFirst()
        head.waiter?.resume(returning: .course(reply))
        if !pending.isEmpty { write(at: 0) }
    }

    /// A pushed presence: reported at once when online, else held until `.connected`.
    private func presenceChanged(_ user: String, _ address: PeerAddress?) {
        guard watched.contains(user) else { return }  // an UNWATCH crossed this push
        lastPresence.updateValue(address, forKey: user)
        let update = Update.presence(user: user, address: address)
        if state == .online {
            emit(update)
        } else {
            heldPushes.append(update)
        }
    }

    /// Whether `reply` is a possible answer to `request` (an `ERR` answers anything).
    private static func reply(_ reply: LocatorReply, answers request: LocatorRequest) -> Bool {
        switch (request, reply) {
        case (_, .error): true
        case (.login, .ok(let verb, _)), (.advertise, .ok(let verb, _)), (.watch, .ok(let verb, _)),
            (.unwatch, .ok(let verb, _)), (.logout, .ok(let verb, _)):
            verb == request.verb
        case (.query(let user), .user(let answered, _)): answered == user
        case (.ping, .pong): true
        default: false
        }
    }

    /// Error text for people: the locator closing the connection reads as such, not as a TLS error.
    nonisolated static func describe(_ error: any Swift.Error) -> String {
        switch error {
        case Error.protocolViolation(let what):
            return "protocol error: \(what)"
        case let error as Error:
            return error.description
        case let error as NIOSSLError where error == .uncleanShutdown:
            return "the locator closed the connection"
        case ChannelError.eof, ChannelError.ioOnClosedChannel, ChannelError.alreadyClosed:
            return "the connection closed"
        case let error as NIOConnectionError:
            return error.connectionErrors.first.map { describe($0.error) } ?? "cannot connect"
        case let error as IOError:
            // "connection refused", not NIO's "connection reset (error set): Connection refused (errno: 111)".
            return String(cString: strerror(error.errnoCode)).lowercased()
        case is CancellationError:
            return "cancelled"
        default:
            return String(describing: error)
        }
    }

    /// A bounded, printable piece of what the locator sent, for messages and logs.
    nonisolated static func excerpt(_ text: String) -> String {
        String(text.unicodeScalars.prefix(80).map { $0.properties.generalCategory == .control ? "?" : Character($0) })
    }
}
