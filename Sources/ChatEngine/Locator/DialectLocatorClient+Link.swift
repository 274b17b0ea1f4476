import Logging
import NIOCore

extension DialectLocatorClient {
    // MARK: Opening and closing

    /// Opens a connection in this dialect and starts its task.
    func openLink(expecting expected: LocatorClientPhase, to endpoint: LocatorEndpoint) async throws -> LocatorLink {
        state.endpoint = endpoint
        let channel = try await connect(to: endpoint)
        guard state.phase == expected, state.link == nil else {
            try? await channel.channel.close()
            throw supersededError
        }
        let id = state.nextLinkID
        state.nextLinkID += 1
        let (outgoing, continuation) = AsyncStream.makeStream(of: String.self)
        let link = LocatorLink(id: id, outgoing: continuation)
        state.link = link
        state.linkReady = false
        state.pending = []
        state.lastWrite = .now
        // Who ends it: `linkEnded` finishes `outgoing`, which ends the link (`stop()` does that
        // and awaits it), or the end of the session whose tree it runs in.
        let work = setup.host.start { await self.runLink(channel, outgoing: outgoing, id: id) }
        state.linkWork = work
        if work.isFinished {
            // The session ended before the link could run: nothing will read or close it.
            linkEnded(id, reason: "the session is over")
            try? await channel.channel.close()
            throw supersededError
        }
        logger.debug("connected to the locator", metadata: ["link": "\(id)"])
        return link
    }

    /// Ends the link now: what waits on it fails, and its task closes the channel.
    func closeLink(_ link: LocatorLink, reason: String) {
        linkEnded(link.id, reason: reason)
    }

    // MARK: The link's task

    /// Writes what is yielded to `outgoing`, hands every line read to `handleIncoming`, and keeps
    /// the connection alive, until one of them ends; then the link ends and the channel closes.
    nonisolated func runLink(_ channel: NIOAsyncChannel<String, String>, outgoing: AsyncStream<String>, id: Int) async {
        do {
            try await channel.executeThenClose { inbound, outbound in
                // Each task returns why the link ends, or nil if its end does not end the link.
                await withThrowingTaskGroup(of: String?.self) { group in
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
                    group.addTask {
                        await self.whileLinked(id)
                        return nil
                    }
                    var reason = "closed"
                    do {
                        while let ended = try await group.next() {
                            if let ended {
                                reason = ended
                                break
                            }
                        }
                    } catch {
                        reason = LocatorClientError.describe(error)
                    }
                    // Before the group waits for its other tasks: a request from `whileLinked`
                    // may be waiting for an answer, and only ending the link fails it.
                    await self.linkEnded(id, reason: reason)
                    group.cancelAll()
                }
            }
        } catch {
            await linkEnded(id, reason: LocatorClientError.describe(error))
        }
    }

    /// Sends a keep-alive when nothing was sent for `pingInterval` (the locator closes idle
    /// connections), and throws when the oldest request has waited too long for its answer.
    private func keepAlive(_ id: Int) async throws {
        let tick = max(.milliseconds(10), min(timing.pingInterval, timing.replyTimeout, timing.logoutTimeout) / 4)
        while true {
            try await Task.sleep(for: tick)
            guard let link = state.link, link.id == id else { return }
            let now = ContinuousClock.now
            if let head = state.pending.first, let written = head.writtenAt, now - written > head.timeout {
                throw LocatorReplyTimeout(request: head.request.summary, timeout: head.timeout)
            }
            // Not while logging in: the login's own replies, with their timeouts, show the link is alive.
            if state.linkReady, now - state.lastWrite >= timing.pingInterval {
                enqueue(PendingRequest(request: keepAliveRequest(), timeout: timing.replyTimeout, writtenAt: nil, waiter: nil))
            }
        }
    }

    private func received(_ text: String, on id: Int) throws {
        guard let link = state.link, link.id == id else { return }
        try handleIncoming(text)
    }

    // MARK: Requests and answers

    /// Sends `request` on `link` and waits for its answer (already checked to fit the request).
    func exchange(_ request: Request, on link: LocatorLink, timeout: Duration? = nil) async throws -> Reply {
        guard state.link?.id == link.id else { throw supersededError }
        let timeout = timeout ?? timing.replyTimeout
        return try await withCheckedThrowingContinuation { continuation in
            // Checked again here, in the same turn as the enqueue: a waiter queued on a dead
            // link would never be answered.
            guard state.link?.id == link.id else { return continuation.resume(throwing: supersededError) }
            enqueue(PendingRequest(request: request, timeout: timeout, writtenAt: nil, waiter: continuation))
        }
    }

    /// Hands `reply` to the oldest request, which it answers, and writes the next request if it
    /// was waiting for this answer.
    func answerOldest(with reply: Reply) {
        let head = state.pending.removeFirst()
        head.waiter?.resume(returning: reply)
        if let next = state.pending.first, next.writtenAt == nil { write(at: 0) }
    }

    /// Queues a request, and writes it at once if the dialect pipelines or nothing waits before it.
    private func enqueue(_ entry: PendingRequest<Request, Reply>) {
        state.pending.append(entry)
        if Self.pipelinesRequests || state.pending.count == 1 {
            write(at: state.pending.count - 1)
        }
    }

    private func write(at index: Int) {
        guard let link = state.link else { return }
        state.pending[index].writtenAt = .now
        state.lastWrite = .now
        link.outgoing.yield(state.pending[index].request.rendered)
    }
}
