import ChatWire
import NIOCore
import NIOPosix

extension CourseLocatorClient {
    func connect(to endpoint: LocatorEndpoint) async throws -> NIOAsyncChannel<String, String> {
        do {
            return try await ClientBootstrap(group: setup.group)
                .connectTimeout(TimeAmount(timing.connectTimeout))
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .connect(host: endpoint.ip, port: endpoint.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        // Each read is one reply: the course protocol has no terminator.
                        try pipeline.addHandler(ByteToMessageHandler(LegacyChunkDecoder()))
                        try pipeline.addHandler(MessageToByteHandler(CourseRequestEncoder()))
                        return try NIOAsyncChannel<String, String>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw LocatorClientError.unreachable(locator: locatorName, reason: LocatorClientError.describe(error))
        }
    }

    /// `<id>_<password>`.
    func logIn(on link: LocatorLink) async throws -> LoginOutcome {
        switch try await exchange(.login(id: user, password: setup.password), on: link) {
        case .loggedIn:
            return .welcome
        case .malformed:
            // The course server answers a wrong password like any bad request.
            throw LocatorClientError.wrongPassword(user: user, locator: locatorName)
        case .incorrectNumber:
            throw LocatorClientError.notOnRoster(user: user)
        case .address, .offline, .loggedOut:
            throw LocatorClientError.protocolViolation("the answer to a course login is not lol")  // checked on arrival
        }
    }

    /// Nothing to send again: watched users are polled once online.
    func resumeWatching(on link: LocatorLink) async throws {}

    /// A query for oneself: the protocol has no ping.
    func keepAliveRequest() -> LegacyRequest {
        .query(id: user)
    }

    /// A course login outlives its connection, so without a link the logout is sent on a
    /// connection of its own.
    func logoutLink() async -> LocatorLink? {
        if let link = state.link { return link }
        guard let endpoint = state.onlineAt ?? state.endpoint else { return nil }
        return try? await openLink(expecting: .stopped, to: endpoint)
    }

    var logoutRequest: LegacyRequest { .logout(id: user) }

    func handleIncoming(_ text: String) throws {
        guard let head = state.pending.first, head.writtenAt != nil else {
            throw LocatorClientError.protocolViolation("'\(LocatorClientError.excerpt(text))' from the course server, unasked")
        }
        guard let reply = LegacyReply(parsing: text, answering: head.request) else {
            throw LocatorClientError.protocolViolation("'\(LocatorClientError.excerpt(text))' does not answer a \(head.request.summary)")
        }
        answerOldest(with: reply)
    }
}
