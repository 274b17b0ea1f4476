import ChatEngine
import ChatIdentity
import ChatWire
import Foundation

extension OutputRenderer {
    /// Lines for people, irssi-like: `[10:42] <alice> hi`, `-!- bob is online`, `error: …`.
    public func human(_ output: ShellOutput) -> String {
        lines(for: output).joined(separator: "\n")
    }

    private func lines(for output: ShellOutput) -> [String] {
        switch output {
        case .event(let event):
            return lines(for: event)
        case .sent(let message):
            return messageLines(message)
        case .friends(let friends):
            return friendLines(friends)
        case .requests(let incoming, let outgoing):
            return requestLines(incoming: incoming, outgoing: outgoing)
        case .query(let id, let address):
            return [queryLine(id, address)]
        case .history(let with, let messages):
            guard !messages.isEmpty else { return [notice("no messages with \(nick(with))")] }
            return [notice("messages with \(nick(with)):")] + messages.flatMap { messageLines($0) }
        case .search(let query, let messages):
            let quoted = "\"\(SafeText.line(query))\""
            guard !messages.isEmpty else { return [notice("no messages match \(quoted)")] }
            let count = messages.count == 1 ? "1 message matches" : "\(messages.count) messages match"
            return [notice("\(count) \(quoted):")] + messages.flatMap { messageLines($0, showingConversation: true) }
        case .groups(let groups):
            return groupLines(groups)
        case .groupInfo(let group):
            return groupInfoLines(group)
        case .whoami(let user, let fingerprint, let peerPort, let locator):
            return [
                notice("you are \(nick(user))"),
                notice("fingerprint \(Self.grouped(fingerprint))"),
                notice(peerPort.map { "listening for peers on port \($0)" } ?? "not listening for peers: /login first"),
                notice("locator \(SafeText.line(locator))"),
            ]
        case .status(let user, let locatorConnected, let peerPort, let friendsOnline, let friends, let queued):
            return [statusLine(user, locatorConnected, peerPort, friendsOnline, friends, queued)]
        case .info(let text):
            return SafeText.lines(text).map(notice)
        case .help(let specs):
            return helpLines(specs)
        case .commandHelp(let spec):
            return [notice("usage: " + paint(spec.usage, "1"))]
                + Self.wrapped(spec.help, width: 76).map { "    " + $0 }
        case .error(let message):
            return [errorLine(message)]
        }
    }

    private func lines(for event: EngineEvent) -> [String] {
        switch event {
        case .loggedIn(let user, let registered):
            [notice("logged in as \(nick(user))" + (registered ? " (new account: the id is now yours)" : ""))]
        case .loggedOut(let user):
            [notice("logged out (\(SafeText.line(user)))")]
        case .locator(let connected, let detail):
            [
                notice(
                    (connected ? "connected to the locator" : "lost the locator")
                        + (detail.isEmpty ? "" : ": " + SafeText.line(detail)))
            ]
        case .presence(let user, let online):
            [notice("\(nick(user)) is " + (online ? paint("online", "32") : "offline"))]
        case .friendRequest(let from, let fingerprint):
            [
                alert("friend request from \(nick(from)) (fingerprint \(Self.grouped(fingerprint, short: true))): "
                    + "/accept \(SafeText.line(from)) or /reject \(SafeText.line(from))")
            ]
        case .friendAdded(let id):
            [notice("\(nick(id)) is now your friend")]
        case .friendRemoved(let id):
            [notice("\(nick(id)) is no longer your friend")]
        case .message(let message):
            messageLines(message)
        case .delivered(let to, _):
            [notice("delivered to \(nick(to))")]
        case .error(let message):
            [errorLine(message)]
        case .securityWarning(let message):
            [paint("*** security warning:", "1;31") + " " + SafeText.line(message)]
        case .groupCreated(let group, let owner, let members):
            [notice("you are in \(nick(group)), owned by \(nick(owner)), with \(members.map(nick).joined(separator: ", "))")]
        case .groupMessage(let group, var message):
            messageLines({ message.conversation = group; return message }())
        case .groupMemberJoined(let group, let member):
            [notice("\(nick(member)) joined \(nick(group))")]
        case .groupMemberLeft(let group, let member):
            [notice(member == me ? "you are no longer in \(nick(group))" : "\(nick(member)) left \(nick(group))")]
        case .groupUpdated(let group, let owner, _):
            [notice("\(nick(group)) is owned by \(nick(owner))")]
        }
    }

    // MARK: Pieces

    private func friendLines(_ friends: [ChatEngine.Friend]) -> [String] {
        guard !friends.isEmpty else { return [notice("no friends yet: /add ID sends a friend request")] }
        let online = friends.filter(\.online).count
        return [notice("friends: \(online) of \(friends.count) online")]
            + friends.map { friend in
                var details = [friend.online ? paint("online", "32") : "offline"]
                if friend.unread > 0 { details.append(paint("\(friend.unread) unread", "1;33")) }
                return "    \(nick(friend.id)) (\(details.joined(separator: ", ")))"
            }
    }

    private func requestLines(incoming: [FriendRequest], outgoing: [FriendRequest]) -> [String] {
        guard !incoming.isEmpty || !outgoing.isEmpty else { return [notice("no open friend requests")] }
        var lines: [String] = []
        if !incoming.isEmpty {
            lines.append(notice("friend requests to you:"))
            for request in incoming {
                let id = SafeText.line(request.peer)
                let fingerprint = Self.grouped(request.fingerprint)
                lines.append(
                    "    \(nick(request.peer)) (since \(time(request.createdAt)), fingerprint \(fingerprint)): "
                        + "/accept \(id) or /reject \(id)")
            }
        }
        if !outgoing.isEmpty {
            lines.append(notice("friend requests you sent:"))
            for request in outgoing {
                lines.append("    \(nick(request.peer)) (since \(time(request.createdAt)))")
            }
        }
        return lines
    }

    private func queryLine(_ id: String, _ address: PeerAddress?) -> String {
        guard let address else { return notice("\(nick(id)) is offline") }
        var text = "\(nick(id)) is \(paint("online", "32")) at \(SafeText.line(address.host))"
        if let port = address.port {
            text += " port \(port)"
        } else {
            text += " (a course client: no peer port)"
        }
        if let fingerprint = address.fingerprint { text += ", fingerprint \(Self.grouped(fingerprint))" }
        return notice(text)
    }

    private func statusLine(
        _ user: String?, _ locatorConnected: Bool, _ peerPort: Int?, _ friendsOnline: Int, _ friends: Int, _ queued: Int
    ) -> String {
        let queue = queued == 0 ? "no messages queued" : queued == 1 ? "1 message queued" : "\(queued) messages queued"
        guard let user else { return notice("not logged in: /login ID; \(queue)") }
        var parts = ["logged in as \(nick(user))"]
        parts.append(locatorConnected ? "locator connected" : paint("locator not connected", "33"))
        parts.append(peerPort.map { "peer port \($0)" } ?? "no peer port")
        return notice(parts.joined(separator: ", ") + "; \(friendsOnline) of \(friends) friends online; \(queue)")
    }

    private func helpLines(_ specs: [CommandSpec]) -> [String] {
        var lines: [String] = []
        for section in CommandSpec.Section.allCases {
            let listed = specs.filter { $0.section == section }
            guard !listed.isEmpty else { continue }
            lines.append(notice(section == .chat ? "commands:" : "commands for scripts:"))
            let width = listed.map(\.usage.count).max() ?? 0
            for spec in listed {
                let usage = spec.usage.padding(toLength: width, withPad: " ", startingAt: 0)
                lines.append("    \(paint(usage, "1"))  \(spec.summary)")
            }
        }
        lines.append(notice("/help COMMAND tells more about one command"))
        return lines
    }

    private func groupLines(_ groups: [GroupSummary]) -> [String] {
        guard !groups.isEmpty else { return [notice("no groups yet: /group create NAME ID... makes one")] }
        return [notice("groups:")]
            + groups.map { group in
                let online = group.members.filter(\.online).count
                var details = ["\(online) of \(group.members.count) members online", "owner \(nick(group.owner))"]
                if group.unread > 0 { details.append(paint("\(group.unread) unread", "1;33")) }
                return "    \(nick(group.shownName)) (\(details.joined(separator: ", ")))"
            }
    }

    private func groupInfoLines(_ group: GroupSummary) -> [String] {
        [notice("\(nick(group.shownName)): owner \(nick(group.owner)), \(group.members.count) members, version \(group.version)")]
            + group.members.map { member in
                let presence = member.online ? paint("online", "32") : "offline"
                return "    \(nick(member.id)) (\(presence)\(member.hasGroup ? "" : ", has not got the group yet"))"
            }
    }

    /// `[10:42] <alice> text` (`[10:42] #team <alice> text` in a group), continuation lines of a
    /// multi-line text indented under the text.
    private func messageLines(_ message: StoredMessage, showingConversation: Bool = false) -> [String] {
        let stamp = "[\(time(message.storedAt))]"
        let isGroup = message.conversation.hasPrefix("#")
        let conversation =
            isGroup ? "\(SafeText.line(message.conversation)) "
            : showingConversation ? "(with \(SafeText.line(message.conversation))) " : ""
        let sender = SafeText.line(message.sender)
        let plainPrefix = "\(stamp) \(conversation)<\(sender)> "
        let prefix = "\(paint(stamp, "2")) \(conversation)<\(paint(sender, message.sender == me ? "1" : "1;36"))> "
        let queued = message.direction == .outgoing && message.delivery == .queued ? paint(" (queued)", "2") : ""
        let body = SafeText.lines(message.body)
        let indent = String(repeating: " ", count: plainPrefix.unicodeScalars.count)
        var lines = body.enumerated().map { index, line in (index == 0 ? prefix : indent) + line }
        lines[lines.count - 1] += queued
        return lines
    }

    private func notice(_ text: String) -> String {
        paint("-!-", "36") + " " + text
    }

    private func alert(_ text: String) -> String {
        paint("***", "1;33") + " " + text
    }

    private func errorLine(_ text: String) -> String {
        paint("error:", "1;31") + " " + SafeText.line(text)
    }

    private func nick(_ id: String) -> String {
        paint(SafeText.line(id), "1")
    }

    private func paint(_ text: String, _ attributes: String) -> String {
        color ? "\u{1B}[\(attributes)m\(text)\u{1B}[0m" : text
    }

    /// `HH:mm` for today, `yyyy-MM-dd HH:mm` otherwise, in `timeZone`.
    func time(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func padded(_ value: Int?, _ digits: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, digits - text.count)) + text
        }
        let clock = "\(padded(parts.hour, 2)):\(padded(parts.minute, 2))"
        if calendar.isDate(date, inSameDayAs: now()) { return clock }
        return "\(padded(parts.year, 4))-\(padded(parts.month, 2))-\(padded(parts.day, 2)) \(clock)"
    }

    /// A wire-form fingerprint as people compare it: upper case in groups of 4 (`3F2A 91BC …`), only the
    /// first 4 groups when `short`. Anything that is not 64 hex digits is shown cleaned, as it is.
    static func grouped(_ fingerprint: String, short: Bool = false) -> String {
        guard let parsed = Fingerprint(hex: fingerprint) else { return SafeText.line(fingerprint) }
        return short ? parsed.short + " …" : parsed.grouped
    }

    /// Words of `text` in lines of at most `width` characters (a longer word gets a line of its own).
    static func wrapped(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(whereSeparator: \.isWhitespace) {
            if !current.isEmpty, current.count + 1 + word.count > width {
                lines.append(current)
                current = ""
            }
            current += (current.isEmpty ? "" : " ") + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
