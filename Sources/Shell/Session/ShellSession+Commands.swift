import ChatEngine
import ChatIdentity
import ChatWire
import Foundation

extension ShellSession {
    func execute(_ command: CommandName, _ arguments: [String]) async throws {
        switch command {
        case .login: try await login(arguments)
        case .logout:
            _ = try requireEngine()
            await logoutEngine()
        case .query:
            let address = try await requireEngine().query(arguments[0])
            show(.query(id: arguments[0], address: address))
        case .add:
            let peer = arguments[0]
            switch try await requireEngine().addFriend(peer) {
            case .sent: show(.info("friend request sent to \(peer)"))
            case .queued: show(.info("friend request to \(peer) queued: it goes out when \(peer) is online"))
            case .accepted: show(.info("\(peer) had asked you already: you are friends now"))
            }
        case .requests:
            let requests = try await requireEngine().requests()
            show(.requests(incoming: requests.incoming, outgoing: requests.outgoing))
        case .accept:
            try await requireEngine().acceptFriend(arguments[0])
        case .reject:
            try await reject(arguments.first)
        case .friends:
            let friends = try await requireEngine().friends()
            show(.friends(friends))
        case .remove:
            try await requireEngine().removeFriend(arguments[0])
            await refreshFriends()
            if conversation == arguments[0] { await setConversation(nil) }
            show(.info("\(arguments[0]) is no longer your friend"))
        case .msg:
            try await sendMessage(arguments[1], to: arguments[0])
        case .me:
            guard let peer = conversation else {
                throw CommandFailure("/me needs a conversation: /chat ID first, then /me waves")
            }
            try await sendMessage(arguments[0], to: peer, action: true)
        case .away:
            let reason = arguments.first.flatMap { $0.isEmpty ? nil : $0 }
            try await requireEngine().setAway(reason)
            state.away = reason != nil
            show(.info(reason.map { "you are marked away: \($0)" } ?? "you are no longer marked away"))
        case .call:
            try await call(arguments.first)
        case .answer:
            try await requireEngine().answerCall(from: arguments.first)
        case .hangup:
            try await requireEngine().hangUp()
        case .chat:
            try await chat(arguments.first)
        case .history:
            let peer = arguments[0], count = Int(arguments[1]) ?? CommandLineParser.defaultHistoryCount
            let messages = peer.hasPrefix("#")
                ? try await shownInGroups(requireEngine().groupHistory(peer, limit: count))
                : try await requireEngine().history(with: peer, limit: count)
            clearUnread(peer)
            show(.history(with: peer, messages: messages))
        case .search:
            let messages = try await shownInGroups(
                requireEngine().search(arguments[0], limit: CommandLineParser.defaultHistoryCount))
            show(.search(query: arguments[0], messages: messages))
        case .group:
            try await group(arguments)
        case .file:
            try await sendFile(arguments[1], to: arguments[0])
        case .files:
            show(.files(try await requireEngine().fileTransfers()))
        case .get:
            try await getFile(arguments)
        case .decline:
            try await requireEngine().declineFile(Int(arguments[0]) ?? 0)
            show(.info("declined transfer \(arguments[0])"))
        case .cancel:
            try await requireEngine().cancelFile(Int(arguments[0]) ?? 0)
        case .whoami:
            let engine = try requireEngine()
            show(.whoami(user: engine.user, fingerprint: engine.fingerprint.hex, peerPort: await engine.peerPort,
                         locator: options.locatorDescription))
        case .status:
            try await status()
        case .set:
            try await set(arguments)
        case .clear:
            sink.perform(.clear)
        case .help:
            if arguments.first == CommandLineParser.keysTopic {
                show(.keys(KeyBinding.all))
            } else if let name = arguments.first, let spec = CommandSpec.named(name) {
                show(.commandHelp(spec))
            } else {
                show(.help(CommandSpec.all))
            }
        case .quit:
            break  // handled by `run`
        case .wait:
            let condition = try WaitCondition(arguments: arguments)
            guard await waits.wait(for: condition) != nil else {
                throw CommandFailure("timed out after \(condition.timeout) waiting for \(condition.event)")
            }
        case .sleep:
            guard let duration = CommandLineParser.seconds(arguments[0]) else { throw CommandFailure("usage: /sleep SECONDS") }
            try await Task.sleep(for: duration)
        }
    }

    private func login(_ arguments: [String]) async throws {
        if let engine { throw CommandFailure("already logged in as \(engine.user): /logout first") }
        let user = arguments[0]
        let password: String
        if arguments.count > 1 {
            password = arguments[1]
        } else if let typed = await askPassword("password for \(user): "), !typed.isEmpty {
            password = typed
        } else if let fromEnvironment = ProcessInfo.processInfo.environment["P2PCHAT_PASSWORD"], !fromEnvironment.isEmpty {
            password = fromEnvironment
        } else {
            throw CommandFailure("no password: type /login \(user) and enter it, or set P2PCHAT_PASSWORD for scripts")
        }
        try await startEngine(user: user, password: password)
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
    private func set(_ arguments: [String]) async throws {
        let engine = try requireEngine()
        guard let name = arguments.first else {
            show(.info(settings.listing.joined(separator: "\n")))
            return
        }
        guard arguments.count > 1 else {
            guard let value = settings.value(of: name.lowercased()) else {
                throw CommandFailure("no setting called '\(CommandLineParser.shown(name))': the settings are "
                    + ShellSettings.names.joined(separator: ", "))
            }
            show(.info("\(name.lowercased()) = \(value)"))
            return
        }
        var changed = settings
        try changed.set(name, to: arguments[1])
        try changed.save(to: settingsFile(of: engine.user))
        settings = changed
        show(.info("\(name.lowercased()) = \(settings.value(of: name.lowercased()) ?? arguments[1])"))
    }

    private func status() async throws {
        guard let engine else {
            show(.status(user: nil, locatorConnected: false, peerPort: nil, friendsOnline: 0, friends: 0, queued: 0))
            return
        }
        let friends = try await engine.friends()
        let queued = try await engine.queuedCount()
        show(.status(
            user: engine.user, locatorConnected: await engine.isLocatorConnected, peerPort: await engine.peerPort,
            friendsOnline: friends.filter(\.online).count, friends: friends.count, queued: queued))
    }
}
