import ChatWire
import Foundation
import Logging
import NIOCore
import Voice

/// Voice calls between friends. Signalling goes over the pinned TLS connection (`AUDIO` offer,
/// `AudioAnswer`, `AudioReject`, `AudioBusy`, and the original system's `End` handshake); the
/// media goes over UDP, sealed with a key made of a fresh half from each side.
///
/// The offer and the answer carry each side's UDP candidates (LAN addresses, the address a
/// STUN Binding to the TURN relay saw, a relayed TURN UDP allocation). Once answered, both
/// sides probe each other's candidates at once, which punches NAT holes; the first path
/// confirmed both ways carries the media, and when none is within a second, the relay does.
///
/// One call at a time: an offer that arrives during a call is answered `busy`, except from the
/// friend this side is calling (both called at once: see `crossed`).
actor CallsPart: EnginePart {
    static let envelopeTypes: [EnvelopeType] = [.audio, .audioAnswer, .audioReject, .audioBusy, .end]

    unowned let core: ChatEngine
    private var call: Call?
    /// `call()` waits here (by offer id) for the answer, a refusal or the ring timeout.
    private let ringWaiters = Waiters<String, CallOutcome>()
    private var outcomes: [String: CallOutcome] = [:]
    /// `hangUp()` waits here (by offer id) for the peer's `End`.
    private let endWaiters = Waiters<String, Bool>()
    /// Whether the next call cleans an ALSA microphone of the peer's echo: the setting, until
    /// the user changes it for this login.
    private(set) var cancelsEcho: Bool
    /// The login session's task tree: the ring timer of an incoming call and the call's media run
    /// there, so that a logout ends them. Nil between sessions.
    private var scope: SessionScope?

    init(core: ChatEngine) {
        self.core = core
        cancelsEcho = core.configuration.parts.calls.echoCancellation
    }

    func setEchoCancellation(_ on: Bool) {
        cancelsEcho = on
    }

    var summary: CallSummary? { call?.summary }

    // MARK: Calling

    func call(_ peer: String) async throws -> CallOutcome {
        if let call, !call.isRinging(from: peer) { throw CallError.inCall(call.peer) }
        let audio = try CallAudio.open(core.configuration)
        let connection = try await core.reach(peer)
        let transport = try await prepareTransport()
        // Calling the friend whose call rings here is answering it, whether it rang already or
        // came while ours was being made ready.
        if let ringing = call, ringing.isRinging(from: peer) {
            await accept(ringing, transport: transport, audio: audio)
            return call?.id == ringing.id ? .answered : .ended(.failed)
        }
        guard call == nil else {
            await transport.close()
            throw CallError.inCall(call?.peer ?? peer)
        }
        let key = MediaKey.random()
        let offer = Envelope(
            type: .audio, source: core.user, target: peer, data: connection.localAddress?.ipAddress ?? "127.0.0.1",
            mediaPort: transport.socket.port, mediaKey: key.base64, mediaCandidates: transport.words)
        call = Call(peer: peer, id: offer.id, connection: connection, phase: .ringingOut(transport: transport, key: key, audio: audio))
        do {
            try await connection.send(offer)
        } catch {
            await settleRing(offer.id, .ended(.peerDisconnected))
        }
        if outcomes[offer.id] == nil { core.emit(.calls(.ringing(peer: peer))) }
        // The ring timer is a child of this call: it ends when the call is settled, whichever way.
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [ringTimeout = core.configuration.parts.calls.ringTimeout] in
                try? await Task.sleep(for: ringTimeout)
                if !Task.isCancelled { await self.settleRing(offer.id, .ended(.noAnswer)) }
            }
            // The outcome is checked and the generation read in one turn of the actor, so a
            // settlement that lands before the wait begins is not missed.
            while outcomes[offer.id] == nil, !Task.isCancelled {
                let generation = ringWaiters.generation
                _ = await ringWaiters.wait(for: offer.id, cancelled: .ended(.cancelled), unlessResumedSince: generation)
            }
            group.cancelAll()
        }
        if outcomes[offer.id] == nil { await settleRing(offer.id, .ended(.cancelled)) }
        return outcomes.removeValue(forKey: offer.id) ?? .ended(.cancelled)
    }

    /// Ends the ringing of our offer `id` one way or the other, once: starts the media when
    /// answered, otherwise closes the socket (and tells the peer when we gave up).
    private func settleRing(_ id: String, _ outcome: CallOutcome, answer: (remote: CallPeerMedia, key: MediaKey)? = nil) async {
        guard let current = call, current.id == id, case .ringingOut(let transport, let key, let audio) = current.phase else { return }
        if outcome == .answered, let answer {
            // The ring is over (its timer finds the call no longer ringing); `/call` returns once
            // the media found its path, or could not.
            call?.phase = .connecting
            let path = await connect(current, transport: transport, to: answer.remote, key: MediaKey(offer: key, answer: answer.key), role: .caller, audio: audio)
            outcomes[id] = path == nil ? .ended(.failed) : .answered
        } else {
            outcomes[id] = outcome
            call = nil
            if outcome == .answered { outcomes[id] = .ended(.failed) }
            await transport.close()
            if outcome == .ended(.noAnswer) || outcome == .ended(.cancelled) || outcome == .answered {
                await send(.end, to: current)
            }
            if case .ended(let reason) = outcomes[id] ?? outcome {
                core.emit(.calls(.ended(peer: current.peer, reason: reason, duration: .zero)))
            }
        }
        ringWaiters.resume(id, with: outcomes[id] ?? outcome)
    }

    // MARK: Being called

    func answer(_ peer: String?) async throws {
        guard let current = call, case .ringingIn = current.phase, peer == nil || peer == current.peer else {
            throw CallError.noIncomingCall
        }
        let audio = try CallAudio.open(core.configuration)
        let transport = try await prepareTransport()
        guard let ringing = call, ringing.id == current.id, case .ringingIn = ringing.phase else {
            await transport.close()
            throw CallError.noIncomingCall
        }
        await accept(ringing, transport: transport, audio: audio)
    }

    /// Sends the answer with our half of the key and our candidates, then probes the caller's
    /// (whose probes, sent when our answer arrives, meet ours) and starts the media.
    private func accept(_ ringing: Call, transport: CallTransport, audio: CallAudio) async {
        guard case .ringingIn(let remote, let theirKey) = ringing.phase else { return }
        let mine = MediaKey.random()
        call?.phase = .connecting
        let answer = Envelope(
            type: .audioAnswer, source: core.user, target: ringing.peer, data: ringing.id, mediaPort: transport.socket.port,
            mediaKey: mine.base64, mediaCandidates: transport.words)
        do {
            try await ringing.connection.send(answer)
        } catch {
            if call?.id == ringing.id { call = nil }
            await transport.close()
            core.emit(.calls(.ended(peer: ringing.peer, reason: .peerDisconnected, duration: .zero)))
            return
        }
        await connect(ringing, transport: transport, to: remote, key: MediaKey(offer: theirKey, answer: mine), role: .callee, audio: audio)
    }

    /// Both friends called each other at once, and each offer met the other's ringing. One call
    /// must win, the same on both sides: the offer of the smaller user id. That side ignores the
    /// other's offer; this side (the larger id) answers the winning offer with the socket and
    /// audio its own offer had ready, and its `/call` returns answered.
    private func crossed(_ offer: Envelope, remote: CallPeerMedia, key: MediaKey, on connection: PeerConnection) async {
        guard let mine = call, case .ringingOut(let transport, _, let audio) = mine.phase else { return }
        let theirs = Call(peer: offer.source, id: offer.id, connection: connection, phase: .ringingIn(remote: remote, key: key))
        call = theirs
        await accept(theirs, transport: transport, audio: audio)
        outcomes[mine.id] = call?.id == theirs.id ? .answered : .ended(.failed)
        ringWaiters.resume(mine.id, with: outcomes[mine.id] ?? .ended(.failed))
    }

    /// The caller's `End` or the dropped connection normally ends a ringing call; this ends it
    /// when neither comes (the caller vanished with its connection still open).
    private func incomingRingTimedOut(_ id: String) {
        guard let current = call, current.id == id, case .ringingIn = current.phase else { return }
        call = nil
        core.emit(.calls(.ended(peer: current.peer, reason: .missed, duration: .zero)))
    }

    func reject(_ peer: String?) async throws {
        guard let current = call, case .ringingIn = current.phase, peer == nil || peer == current.peer else {
            throw CallError.noIncomingCall
        }
        call = nil
        await send(.audioReject, to: current)
        core.emit(.calls(.ended(peer: current.peer, reason: .rejected, duration: .zero)))
    }

    private func offered(_ offer: Envelope, on connection: PeerConnection) async throws {
        let peer = offer.source
        guard try await core.store.contact(id: peer) != nil else {
            core.logger.notice("refused a call from someone who is not a friend", metadata: ["peer": "\(peer)"])
            try? await connection.send(Envelope(type: .audioReject, source: core.user, target: peer, data: offer.id))
            return
        }
        guard let port = offer.mediaPort, let keyText = offer.mediaKey, let key = try? MediaKey(base64: keyText) else { return }
        let remote = CallPeerMedia(offer, port: port, on: connection)
        if let current = call {
            if current.peer == peer, case .ringingOut = current.phase {
                // Our offers crossed: the smaller id's call goes on.
                if core.user > peer { await crossed(offer, remote: remote, key: key, on: connection) }
            } else {
                try? await connection.send(Envelope(type: .audioBusy, source: core.user, target: peer, data: offer.id))
            }
            return
        }
        call = Call(peer: peer, id: offer.id, connection: connection, phase: .ringingIn(remote: remote, key: key))
        core.emit(.calls(.incoming(from: peer)))
        // In the session's tree: a logout cancels it with the call.
        scope?.start { [ringTimeout = core.configuration.parts.calls.ringTimeout] in
            try? await Task.sleep(for: ringTimeout)
            guard !Task.isCancelled else { return }
            await self.incomingRingTimedOut(offer.id)
        }
    }

    // MARK: Hanging up

    func hangUp() async throws {
        guard let current = call else { throw CallError.noCall }
        switch current.phase {
        case .ringingOut:
            await settleRing(current.id, .ended(.cancelled))
        case .ringingIn:
            try await reject(current.peer)
        case .connecting:
            // The probing notices and closes the socket; the peer's side stops at our End.
            call = nil
            await send(.end, to: current)
            core.emit(.calls(.ended(peer: current.peer, reason: .hungUp, duration: .zero)))
        case .hangingUp:
            throw CallError.noCall
        case .active(let session, let media, _, let relay):
            call?.phase = .hangingUp
            session.stop()
            // End goes out at once: the peer stops its media while ours winds down.
            let generation = endWaiters.generation
            await send(.end, to: current)
            await media.finished()
            await relay?.free()
            let duration = session.statistics.duration
            // Whichever comes first, the peer's `End` or the end of `hangUpTimeout`.
            let answered = await withTaskGroup(of: Bool.self) { group in
                group.addTask { [endWaiters, id = current.id] in
                    await endWaiters.wait(for: id, cancelled: false, unlessResumedSince: generation)
                }
                group.addTask { [timeout = core.configuration.parts.calls.hangUpTimeout] in
                    try? await Task.sleep(for: timeout)
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            if !answered { core.logger.debug("the peer did not answer End in time", metadata: ["peer": "\(current.peer)"]) }
            if call?.id == current.id { call = nil }
            core.emit(.calls(.ended(peer: current.peer, reason: .hungUp, duration: duration)))
        }
    }

    /// The peer's `End`: it hung up (we answer with ours), cancelled its offer, or answered ours.
    private func ended(_ id: String, by peer: String) async {
        guard let current = call, current.id == id, current.peer == peer else { return }
        switch current.phase {
        case .ringingOut:
            await settleRing(id, .ended(.rejected))
        case .ringingIn:
            call = nil
            core.emit(.calls(.ended(peer: peer, reason: .missed, duration: .zero)))
        case .connecting:
            call = nil
            await send(.end, to: current)
            core.emit(.calls(.ended(peer: peer, reason: .peerHungUp, duration: .zero)))
        case .active:
            await endActive(id, reason: .peerHungUp)
            await send(.end, to: current)
        case .hangingUp:
            endWaiters.resume(id, with: true)
        }
    }

    /// Stops the media of call `id` and reports it over.
    private func endActive(_ id: String, reason: CallEndReason) async {
        guard let current = call, current.id == id, case .active(let session, let media, _, let relay) = current.phase else { return }
        call = nil
        session.stop()
        await media.finished()
        await relay?.free()
        core.emit(.calls(.ended(peer: current.peer, reason: reason, duration: session.statistics.duration)))
    }

    // MARK: Media

    func statistics() throws -> CallStatistics {
        guard let current = call, case .active(let session, _, let path, _) = current.phase else { throw CallError.noCall }
        let media = session.statistics
        return CallStatistics(
            peer: current.peer, path: path, duration: media.duration, sentKilobitsPerSecond: media.sentKilobitsPerSecond,
            receivedKilobitsPerSecond: media.receivedKilobitsPerSecond, loss: media.loss, jitter: media.jitter,
            roundTripTime: media.roundTripTime, jitterBufferDepth: media.jitterBufferDepth, sourceEnded: media.sourceEnded,
            echoCancellation: media.echoCancellation)
    }

    /// Finds the path of answered call `ringing`'s media (probes, then the relay) and starts
    /// it; returns the path, or nil when the call ended instead (hung up meanwhile, or no path).
    @discardableResult
    private func connect(
        _ ringing: Call, transport: CallTransport, to remote: CallPeerMedia, key: MediaKey, role: MediaRole, audio: CallAudio
    ) async -> CallPath? {
        let found = await CallPathFinder(transport: transport, remote: remote, key: key, role: role).find()
        guard let current = call, current.id == ringing.id, case .connecting = current.phase else {
            // Hung up or ended while the probes ran: whoever ended it said so.
            await transport.close()
            return nil
        }
        guard let found else {
            await failToStart(current, transport, "found no way for its audio: no UDP hole opened within a second, and the locator offers no relay")
            return nil
        }
        let session: MediaSession
        do {
            guard let scope else { throw EngineError.notLoggedIn }
            session = try Self.makeSession(
                socket: transport.socket, route: found.route, key: key, role: role, audio: audio, configuration: core.configuration,
                cancelsEcho: cancelsEcho, logger: core.logger)
            transport.relay?.serve(session, peer: remote.relayTarget, in: scope, logger: core.logger)
            // Set before any await: the call is active from here on, for whoever looks next.
            let id = current.id
            call?.phase = .active(
                session: session, media: scope.start { await self.runMedia(session, of: id) }, path: found.path, relay: transport.relay)
        } catch {
            await failToStart(current, transport, "could not start: \(error)")
            return nil
        }
        core.logger.info("call media path", metadata: ["peer": "\(current.peer)", "path": "\(found.path.rawValue)"])
        core.emit(.calls(.started(peer: current.peer, path: found.path)))
        return found.path
    }

    /// The answered call `current` ends before its media started: one error line (`the call with
    /// bob …why`), the socket and allocation freed, and the peer told.
    private func failToStart(_ current: Call, _ transport: CallTransport, _ why: String) async {
        call = nil
        core.emit(.session(.error("the call with \(current.peer) \(why)")))
        core.emit(.calls(.ended(peer: current.peer, reason: .failed, duration: .zero)))
        await transport.close()
        await send(.end, to: current)
    }

    /// The call's media, until it is stopped or fails; a child of the session's tree.
    private func runMedia(_ session: MediaSession, of id: String) async {
        do {
            try await session.run()
        } catch {
            await mediaFailed(id, error)
        }
    }

    private func mediaFailed(_ id: String, _ error: any Error) async {
        guard let current = call, current.id == id, case .active(let session, _, _, let relay) = current.phase else { return }
        call = nil
        await relay?.free()
        core.emit(.session(.error("the call with \(current.peer) stopped: \(error)")))
        await send(.end, to: current)
        core.emit(.calls(.ended(peer: current.peer, reason: .failed, duration: session.statistics.duration)))
    }

    private static func makeSession(
        socket: MediaSocket, route: MediaRoute, key: MediaKey, role: MediaRole, audio: CallAudio,
        configuration: EngineConfiguration, cancelsEcho: Bool, logger: Logger
    ) throws -> MediaSession {
        guard let source = audio.takeSource(), let sink = audio.takeSink() else { throw CallError.audio("the call's audio is in use") }
        var media = MediaSessionConfiguration()
        media.echoCancellation = cancelsEcho && audio.capturesFromSoundCard
        if let impairment = configuration.parts.calls.impairment {
            media.impairment = NetworkImpairment(
                loss: impairment.loss, delayed: impairment.delay > .zero ? 1 - impairment.loss : 0, delay: impairment.delay)
        }
        return try MediaSession(
            socket: socket, route: route, key: key, role: role, source: source, sink: sink, configuration: media,
            logger: logger)
    }

    /// The call's UDP socket and its candidates (with a TURN allocation when a relay is offered).
    private func prepareTransport() async throws -> CallTransport {
        let socket: MediaSocket
        do {
            socket = try await MediaSocket.bind(host: core.configuration.listenHost)
        } catch {
            throw CallError.audio("\(error)")
        }
        guard let scope else {
            await socket.close()
            throw EngineError.notLoggedIn
        }
        return await core.gatherCallTransport(socket, in: scope)
    }

    private func send(_ type: EnvelopeType, to call: Call) async {
        do {
            try await call.connection.send(Envelope(type: type, source: core.user, target: call.peer, data: call.id))
        } catch {
            core.logger.debug("could not send \(type)", metadata: ["peer": "\(call.peer)", "error": "\(error)"])
        }
    }

    // MARK: EnginePart

    func received(_ envelope: Envelope, on connection: PeerConnection) async throws {
        let id = envelope.data ?? ""
        switch envelope.type {
        case .audio:
            try await offered(envelope, on: connection)
        case .audioAnswer:
            guard call?.peer == envelope.source, let port = envelope.mediaPort,
                  let key = envelope.mediaKey.flatMap({ try? MediaKey(base64: $0) })
            else { return }
            await settleRing(id, .answered, answer: (CallPeerMedia(envelope, port: port, on: connection), key))
        case .audioReject:
            guard call?.peer == envelope.source else { return }
            await settleRing(id, .ended(.rejected))
        case .audioBusy:
            guard call?.peer == envelope.source else { return }
            await settleRing(id, .ended(.busy))
        default:
            await ended(id, by: envelope.source)
        }
    }

    /// Hole punching replaced the call's relayed connection: the call goes on, its signalling
    /// over the punched one (its media has a path of its own).
    func peerMoved(from old: PeerConnection, to new: PeerConnection) async {
        if call?.connection.id == old.id { call?.connection = new }
    }

    func peerDisconnected(_ connection: PeerConnection) async {
        guard let current = call, current.connection.id == connection.id else { return }
        switch current.phase {
        case .ringingOut:
            await settleRing(current.id, .ended(.peerDisconnected))
        case .ringingIn, .connecting:
            call = nil
            core.emit(.calls(.ended(peer: current.peer, reason: .peerDisconnected, duration: .zero)))
        case .active:
            await endActive(current.id, reason: .peerDisconnected)
        case .hangingUp:
            endWaiters.resume(current.id, with: false)
        }
    }

    func sessionStarted(_ scope: SessionScope) async {
        self.scope = scope
    }

    func sessionEnded() async {
        defer { scope = nil }
        guard let current = call else { return }
        switch current.phase {
        case .ringingOut:
            await settleRing(current.id, .ended(.loggedOut))
        case .active:
            await endActive(current.id, reason: .loggedOut)
        case .ringingIn, .connecting:
            call = nil
            core.emit(.calls(.ended(peer: current.peer, reason: .loggedOut, duration: .zero)))
        case .hangingUp:
            endWaiters.resume(current.id, with: false)
        }
    }
}
