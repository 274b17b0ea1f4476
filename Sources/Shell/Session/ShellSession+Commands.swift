import ChatEngine
import ChatIdentity
import ChatWire
import Foundation

extension ShellSession {
    /// `/login ID [PASSWORD]`: without PASSWORD, asked for without echo, or read from
    /// `P2PCHAT_PASSWORD` in a script.
    func login(_ user: String, password given: String?) async throws {
        if let engine { throw CommandFailure("already logged in as \(engine.user): /logout first") }
        let password: String
        if let given {
            password = given
        } else if let typed = await askPassword("password for \(user): "), !typed.isEmpty {
            password = typed
        } else if let fromEnvironment = ProcessInfo.processInfo.environment["P2PCHAT_PASSWORD"], !fromEnvironment.isEmpty {
            password = fromEnvironment
        } else {
            throw CommandFailure("no password: type /login \(user) and enter it, or set P2PCHAT_PASSWORD for scripts")
        }
        try await startEngine(user: user, password: password)
    }

    func addFriend(_ peer: String) async throws {
        switch try await requireEngine().addFriend(peer) {
        case .sent: show(.info("friend request sent to \(peer)"))
        case .queued: show(.info("friend request to \(peer) queued: it goes out when \(peer) is online"))
        case .accepted: show(.info("\(peer) had asked you already: you are friends now"))
        }
    }

    func removeFriend(_ peer: String) async throws {
        try await requireEngine().removeFriend(peer)
        await refreshFriends()
        if conversation == peer { await setConversation(nil) }
        show(.info("\(peer) is no longer your friend"))
    }

    func history(_ request: HistoryRequest) async throws {
        let peer = request.conversation
        let messages = peer.hasPrefix("#")
            ? try await shownInGroups(requireEngine().groupHistory(peer, limit: request.count))
            : try await requireEngine().history(with: peer, limit: request.count)
        clearUnread(peer)
        let readUpTo = peer.hasPrefix("#") ? nil : try await requireEngine().readMark(of: peer)
        show(.history(with: peer, messages: messages, readUpTo: readUpTo))
    }

    func search(_ text: String) async throws {
        let messages = try await shownInGroups(requireEngine().search(text, limit: CommandLineParser.defaultHistoryCount))
        show(.search(query: text, messages: messages))
    }

    func setAway(_ reason: String?) async throws {
        try await requireEngine().setAway(reason)
        state.away = reason != nil
        show(.info(reason.map { "you are marked away: \($0)" } ?? "you are no longer marked away"))
    }

    func help(_ topic: HelpTopic) {
        switch topic {
        case .commands: show(.help(CommandSpec.all))
        case .keys: show(.keys(KeyBinding.all))
        case .command(let spec): show(.commandHelp(spec))
        }
    }

    func sendMessage(_ text: String, to peer: String, action: Bool = false) async throws {
        let engine = try requireEngine()
        if peer.hasPrefix("#") {
            guard !action else { throw CommandFailure("/me goes to a friend for now, not to a group") }
            try await holdingEvents {
                let sent = try await engine.sendToGroup(text, group: peer)
                groupTextIDs.insert(sent.id)
                show(.sent(try await shownInGroups([sent])[0]))
            }
            return
        }
        let typedAt = Date()
        try await holdingEvents {
            let result = try await engine.send(text, to: peer, action: action)
            var message = StoredMessage.outgoing(
                id: result.id, from: engine.user, to: peer, body: text, sentAt: typedAt, isAction: action)
            message.delivery = result.delivery == .delivered ? .delivered : .queued
            show(.sent(message))
        }
        // As IRC's away reply: said once, the first time you write to a friend who is away.
        if let reason = awayFriends[peer], awayNoticeShown.insert(peer).inserted {
            show(.info("\(peer) is away: \(reason)"))
        }
    }

    func chat(_ peer: String?) async throws {
        guard let peer else {
            await setConversation(nil)
            show(.info("left the conversation"))
            return
        }
        let engine = try requireEngine()
        if peer.hasPrefix("#") {
            let group = try await engine.groupInfo(peer).shownName
            await setConversation(group)
            show(.info("talking to \(group): lines without / go to every member; /chat alone leaves"))
            return
        }
        guard try await engine.isFriend(peer) else {
            throw CommandFailure("\(peer) is not your friend: send a request with /add \(peer)")
        }
        let unread = try await engine.unreadMessages(from: peer)
        await setConversation(peer)
        show(.info("talking to \(peer): lines without / go to \(peer); /chat alone leaves"))
        if !unread.isEmpty { show(.unread(with: peer, messages: unread)) }
    }

    /// `/set`, `/set NAME`, `/set NAME VALUE`; a change is saved at once.
    func set(_ name: String?, to value: String?) async throws {
        let engine = try requireEngine()
        guard let name else {
            show(.info(settings.listing.joined(separator: "\n")))
            return
        }
        guard let value else {
            guard let value = settings.value(of: name.lowercased()) else {
                throw CommandFailure("no setting called '\(CommandLineParser.shown(name))': the settings are "
                    + ShellSettings.names.joined(separator: ", "))
            }
            show(.info("\(name.lowercased()) = \(value)"))
            return
        }
        var changed = settings
        try changed.set(name, to: value)
        try changed.save(to: settingsFile(of: engine.user))
        settings = changed
        await applySettings(to: engine)
        show(.info("\(name.lowercased()) = \(settings.value(of: name.lowercased()) ?? value)"))
    }

    func status() async throws {
        guard let engine else {
            show(.status(user: nil, locatorConnected: false, peerPort: nil, friendsOnline: 0, friends: 0, queued: 0))
            return
        }
        let friends = try await engine.friends()
        let queued = try await engine.queuedCount()
        show(.status(
            user: engine.user, locatorConnected: await engine.isLocatorConnected, peerPort: await engine.peerPort,
            friendsOnline: friends.filter(\.online).count, friends: friends.count, queued: queued))
        // Counted as other refusals are: said only when there is something to say.
        let refused = try await engine.refusedChangeCount()
        if refused > 0 {
            let what = refused == 1 ? "edit or delete" : "edits or deletes"
            show(.info("refused \(refused) \(what) of messages by someone other than their author"))
        }
    }
}
