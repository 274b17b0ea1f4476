import ChatWire
import GRDB
import Logging

/// Read receipts and typing indicators, each shared only between two friends who both turned it on.
///
/// Each side tells a friend its choices (`Signals`) on every new connection, whenever they change,
/// and in answer to the friend's own when it has not told them yet on this connection (a friendship
/// made on a connection that was already open learns them the first time either side has something
/// to say); a receipt or typing frame goes only to a friend whose choices allow it, and one that
/// comes from a friend who did not opt in, or while this user has not, is refused and counted.
/// Groups never see either: everything here is between one user and one friend.
///
/// Receipts are a "read up to" mark, best effort on the wire and durable at both ends: the reader's
/// mark is its newest message marked read in the store, told again on each connection (so a frame
/// lost with a connection is mended on the next one), and the writer keeps the mark it got in
/// `read_marks`. They bypass the outbox: a newer mark replaces an older one, so a queue of stale
/// marks would only fill it. Typing frames are never stored.
actor ReceiptsPart: EnginePart {
    static let envelopeTypes: [EnvelopeType] = [.receiptChoices, .read, .typing]

    unowned let core: ChatEngine
    /// What this user shares; starts from the configuration, changed by `/set`.
    private(set) var settings: ReceiptSettings
    /// What each friend told this session it shares.
    private var friendsChoices: [String: ReceiptChoices] = [:]
    /// Friends told this user's choices on their current connection.
    private var toldChoices: Set<String> = []
    /// The mark each friend was last told, so that reading again tells nothing new.
    private var toldReadMarks: [String: String] = [:]
    /// Queries in which this user types, with when the last `active` frame went out.
    private var typingTo: [String: ContinuousClock.Instant] = [:]
    /// Keys pressed for a friend whose choices were still being asked, with the last one's time:
    /// the answer, when it allows typing, says it at once rather than at the next key.
    private var typingBeforeChoices: [String: ContinuousClock.Instant] = [:]
    /// Per query: says `paused` once no key came for `typingTimeout`.
    private var typingQuiet: [String: SessionWork] = [:]
    /// Friends shown typing now, each with the timer that stops showing it if their `paused` is lost.
    private var typingShown: [String: SessionWork] = [:]
    private var scope: SessionScope?
    /// Receipt and typing frames refused: from a non-friend, from a friend who did not opt in, or
    /// about a message that friend never got from this user.
    private(set) var refusedCount = 0

    init(core: ChatEngine) {
        self.core = core
        settings = core.configuration.parts.receipts
    }

    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        ChatStore.registerReceipts(in: &migrator)
    }

    // MARK: Choices

    /// Turns receipts and typing on or off and tells every friend connected now; the others hear it
    /// on their next connection (or when either side next has something to say).
    func update(readReceipts: Bool, typing: Bool) async {
        let before = settings.choices
        settings.readReceipts = readReceipts
        settings.typing = typing
        guard settings.choices != before else { return }
        // Friends who see this user typing see it stop as they hear the new choices.
        if !typing { stopAllTyping() }
        for friend in await onlineFriends() {
            guard let connection = await core.existingConnection(to: friend) else { continue }
            await tellChoices(connection)
            if readReceipts { await tellReadMark(to: friend) }
        }
    }

    /// Whether `friend` and this user both share `choice`, and `friend` is a friend.
    private func shares(_ friend: String, _ choice: KeyPath<ReceiptChoices, Bool>) async -> Bool {
        guard settings.choices[keyPath: choice], friendsChoices[friend]?[keyPath: choice] == true else { return false }
        return (try? await core.store.contact(id: friend)) != nil
    }

    /// This user has something to say to `friend` whose choices are not known: tells them this user's,
    /// which they answer with theirs (a friendship newer than the connection, or no connection yet).
    /// A friend online is dialled for it, once per connection.
    private func askChoices(of friend: String) async {
        guard friendsChoices[friend] == nil, !toldChoices.contains(friend),
            (try? await core.store.contact(id: friend)) != nil, await core.isOnline(friend),
            let connection = try? await core.reach(friend)
        else { return }
        // A new connection told them already (`peerConnected`).
        guard !toldChoices.contains(friend) else { return }
        await tellChoices(connection)
    }

    private func tellChoices(_ connection: PeerConnection) async {
        let envelope = Envelope(
            type: .receiptChoices, source: core.user, target: connection.peer, data: settings.choices.data)
        if await send(envelope, on: connection) { toldChoices.insert(connection.peer) }
    }

    private func onlineFriends() async -> [String] {
        let friends = (try? await core.store.contacts().map(\.id)) ?? []
        var online: [String] = []
        for friend in friends where await core.isOnline(friend) { online.append(friend) }
        return online
    }

    // MARK: Read receipts

    /// The user has seen `friend`'s messages: tell them how far, once per new mark.
    func conversationRead(_ friend: String) async {
        await tellReadMark(to: friend)
    }

    private func tellReadMark(to friend: String) async {
        guard settings.readReceipts else { return }
        guard await shares(friend, \.receipts) else { return await askChoices(of: friend) }
        guard
            let mark = try? await core.store.newestReadMessage(from: friend), toldReadMarks[friend] != mark,
            let connection = await core.existingConnection(to: friend)
        else { return }
        if await send(Envelope(type: .read, source: core.user, target: friend, data: mark), on: connection) {
            toldReadMarks[friend] = mark
        }
    }

    private func receivedReadMark(_ envelope: Envelope) async throws {
        let friend = envelope.source
        guard let mark = envelope.data, await shares(friend, \.receipts) else {
            return refuse(envelope, "a read receipt from someone who does not share them with us")
        }
        guard let seq = try await core.store.outgoingMessageSeq(id: mark, from: core.user, to: friend) else {
            return refuse(envelope, "a read receipt for a message we never sent them")
        }
        if try await core.store.advanceReadMark(of: friend, to: seq) {
            core.emit(.receipts(.read(by: friend, upTo: mark)))
        }
    }

    // MARK: Typing

    /// A key in the query to `friend` (`active`), or its line was sent or cleared.
    func typing(to friend: String, active: Bool) async {
        guard active else { return await stopTyping(to: friend) }
        guard settings.typing else { return }
        let now = ContinuousClock.now
        guard await shares(friend, \.typing) else {
            if friendsChoices[friend] == nil { typingBeforeChoices[friend] = now }
            return await askChoices(of: friend)
        }
        if let last = typingTo[friend], now - last < settings.typingInterval {
            restartQuietTimer(for: friend)
            return
        }
        guard let connection = await core.existingConnection(to: friend),
            await send(Envelope(type: .typing, source: core.user, target: friend, data: TypingState.active.rawValue), on: connection)
        else { return }
        typingTo[friend] = now
        restartQuietTimer(for: friend)
    }

    private func restartQuietTimer(for friend: String) {
        typingQuiet[friend]?.cancel()
        let timeout = settings.typingTimeout
        typingQuiet[friend] = scope?.start { [weak self] in
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            await self?.stopTyping(to: friend)
        }
    }

    private func stopTyping(to friend: String) async {
        typingBeforeChoices[friend] = nil
        typingQuiet.removeValue(forKey: friend)?.cancel()
        guard typingTo.removeValue(forKey: friend) != nil,
            let connection = await core.existingConnection(to: friend)
        else { return }
        await send(Envelope(type: .typing, source: core.user, target: friend, data: TypingState.paused.rawValue), on: connection)
    }

    private func receivedTyping(_ envelope: Envelope) async {
        let friend = envelope.source
        guard let state = envelope.data.flatMap(TypingState.init(rawValue:)), await shares(friend, \.typing) else {
            return refuse(envelope, "a typing frame from someone who does not share typing with us")
        }
        switch state {
        case .active:
            let wasShown = typingShown.removeValue(forKey: friend)
            wasShown?.cancel()
            // The typist says `paused` after `typingTimeout`; this stops the indicator if that frame is lost.
            let expiry = settings.typingTimeout + settings.typingInterval
            typingShown[friend] = scope?.start { [weak self] in
                guard (try? await Task.sleep(for: expiry)) != nil else { return }
                await self?.hideTyping(of: friend)
            }
            if wasShown == nil { core.emit(.receipts(.typing(user: friend, active: true))) }
        case .paused:
            hideTyping(of: friend)
        }
    }

    /// Stops showing `friend` typing, once.
    private func hideTyping(of friend: String) {
        guard let shown = typingShown.removeValue(forKey: friend) else { return }
        shown.cancel()
        core.emit(.receipts(.typing(user: friend, active: false)))
    }

    private func stopAllTyping() {
        typingBeforeChoices = [:]
        for friend in typingShown.keys { hideTyping(of: friend) }
        for work in typingQuiet.values { work.cancel() }
        typingQuiet = [:]
        typingTo = [:]
    }

    // MARK: The part's hooks

    func received(_ envelope: Envelope, on connection: PeerConnection) async throws {
        switch envelope.type {
        case .receiptChoices:
            guard try await core.store.contact(id: envelope.source) != nil else {
                return refuse(envelope, "receipt choices from someone who is not a friend")
            }
            let choices = ReceiptChoices(data: envelope.data)
            friendsChoices[envelope.source] = choices
            if !toldChoices.contains(envelope.source) { await tellChoices(connection) }
            if !choices.typing { hideTyping(of: envelope.source) }
            if let key = typingBeforeChoices.removeValue(forKey: envelope.source),
                ContinuousClock.now - key < settings.typingTimeout
            {
                await typing(to: envelope.source, active: true)
            }
            // A mark read while they were away, or told on a connection that broke, goes now.
            toldReadMarks[envelope.source] = nil
            await tellReadMark(to: envelope.source)
        case .read:
            try await receivedReadMark(envelope)
        default:
            await receivedTyping(envelope)
        }
    }

    func peerConnected(_ connection: PeerConnection) async {
        guard (try? await core.store.contact(id: connection.peer)) != nil else { return }
        await tellChoices(connection)
    }

    func peerDisconnected(_ connection: PeerConnection) async {
        // Their choices come again with the next connection; until then nothing is sent or shown.
        friendsChoices[connection.peer] = nil
        toldChoices.remove(connection.peer)
        typingTo[connection.peer] = nil
        typingQuiet.removeValue(forKey: connection.peer)?.cancel()
        hideTyping(of: connection.peer)
    }

    func sessionStarted(_ scope: SessionScope) async {
        self.scope = scope
    }

    func sessionEnded() async {
        stopAllTyping()
        scope = nil
        friendsChoices = [:]
        toldChoices = []
        toldReadMarks = [:]
    }

    // MARK: Helpers

    @discardableResult
    private func send(_ envelope: Envelope, on connection: PeerConnection) async -> Bool {
        do {
            try await connection.send(envelope)
            return true
        } catch {
            core.logger.debug(
                "could not send \(envelope.type)", metadata: ["peer": "\(connection.peer)", "error": "\(error)"])
            return false
        }
    }

    private func refuse(_ envelope: Envelope, _ reason: String) {
        refusedCount += 1
        core.logger.notice("refused \(reason)", metadata: ["peer": "\(envelope.source)", "type": "\(envelope.type)"])
    }
}
