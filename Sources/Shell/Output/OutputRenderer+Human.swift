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
            // Said by the event's part in `Sources/Shell/Events/`. Status lines carry the time they
            // happened at, as messages do.
            let shown = event.shown
            guard shown.stamped else { return shown.human(self) }
            let stamp = paint("[\(time(now()))]", "2") + " "
            return shown.human(self).map { stamp + $0 }
        case .sent(let message):
            return messageLines(message, live: true)
        case .friends(let friends):
            return friendLines(friends)
        case .verification(let verification):
            return verificationLines(verification)
        case .requests(let incoming, let outgoing):
            return requestLines(incoming: incoming, outgoing: outgoing)
        case .query(let id, let address, let path):
            return [queryLine(id, address, path)]
        case .history(let with, let messages, let readUpTo):
            guard !messages.isEmpty else { return [notice("no messages with \(nick(with))")] }
            return [notice("messages with \(nick(with)):")] + messages.flatMap { message in
                // WeeChat's read marker: one line under the last message the friend has read.
                let marker = message.id == readUpTo && message.direction == .outgoing
                    ? [paint("--- read by \(SafeText.line(with)) ---", "2")] : []
                return messageLines(message, numbered: true) + marker
            }
        case .unread(_, let messages):
            return [paint("--- unread ---", "1;33")] + messages.flatMap { messageLines($0, numbered: true) }
        case .search(let query, let messages):
            let quoted = "\"\(SafeText.line(query))\""
            guard !messages.isEmpty else { return [notice("no messages match \(quoted)")] }
            let count = messages.count == 1 ? "1 message matches" : "\(messages.count) messages match"
            return [notice("\(count) \(quoted):")] + messages.flatMap { messageLines($0, showingConversation: true, numbered: true) }
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
        case .files(let transfers):
            return transferLines(transfers)
        case .help(let specs):
            return helpLines(specs)
        case .keys(let bindings):
            return keyLines(bindings)
        case .commandHelp(let spec):
            return [notice("usage: " + paint(spec.usage, "1"))]
                + Self.wrapped(spec.help, width: 76).map { "    " + $0 }
        case .error(let message):
            return [errorLine(message)]
        }
    }

    /// The status line of a running transfer: `→ bob cat.jpg 45% 12.3 MB/s ETA 0:12`. Plain text,
    /// one terminal row.
    static func progressLine(_ transfer: FileTransfer, bytesPerSecond: Double) -> String {
        let arrow = transfer.direction == .outgoing ? "→" : "←"
        return "\(arrow) \(SafeText.line(transfer.peer)) \(SafeText.line(transfer.name)) "
            + "\(ByteCount.percent(transfer.bytes, of: transfer.size))% \(ByteCount.rate(bytesPerSecond)) "
            + "ETA \(ByteCount.eta(remaining: transfer.size - transfer.bytes, bytesPerSecond: bytesPerSecond))"
    }

    private func transferLines(_ transfers: [FileTransfer]) -> [String] {
        guard !transfers.isEmpty else { return [notice("no file transfers: /file ID PATH sends one")] }
        return [notice("file transfers, newest first:")]
            + transfers.map { transfer in
                let direction = transfer.direction == .outgoing ? "to" : "from"
                var details = [
                    ByteCount.text(transfer.size), "\(ByteCount.percent(transfer.bytes, of: transfer.size))%",
                ]
                if let rate = transfer.bytesPerSecond, !transfer.state.isFinal { details.append(ByteCount.rate(rate)) }
                details.append(transfer.state.rawValue)
                if let reason = transfer.reason, transfer.state == .failed { details.append(SafeText.line(reason)) }
                return "    \(transfer.number). \(direction) \(nick(transfer.peer)) \(fileName(transfer)) "
                    + "(\(details.joined(separator: ", ")))"
            }
    }

    /// The name the user finds the file under: for an incoming file, the one it is saved as, which is
    /// `NAME (1)` when `NAME` was taken.
    func fileName(_ transfer: FileTransfer) -> String {
        paint(SafeText.line(Self.savedName(of: transfer)), "1")
    }

    static func savedName(of transfer: FileTransfer) -> String {
        guard transfer.direction == .incoming, let path = transfer.path else { return transfer.name }
        return URL(fileURLWithPath: path).lastPathComponent
    }

    /// A call's length as `m:ss`.
    static func clock(_ duration: Duration) -> String {
        let seconds = Int(duration.components.seconds)
        return "\(seconds / 60):" + (seconds % 60 < 10 ? "0" : "") + "\(seconds % 60)"
    }

    // MARK: Pieces

    private func friendLines(_ friends: [ChatEngine.Friend]) -> [String] {
        guard !friends.isEmpty else { return [notice("no friends yet: /add ID sends a friend request")] }
        let online = friends.filter(\.online).count
        return [notice("friends: \(online) of \(friends.count) online")]
            + friends.map { friend in
                var details = [friend.online ? paint("online", "32") : "offline"]
                if let path = friend.path { details.append(path.description) }
                if let away = friend.away { details.append("away: " + SafeText.line(away)) }
                if friend.unread > 0 { details.append(paint("\(friend.unread) unread", "1;33")) }
                if friend.keyChanged {
                    details.append(paint("NEW KEY: /verify \(friend.id)", "1;31"))
                } else if friend.verified {
                    details.append(paint("verified", "32"))
                }
                return "    \(nick(friend.id)) (\(details.joined(separator: ", ")))"
            }
    }

    private func verificationLines(_ verification: ChatEngine.Verification) -> [String] {
        let peer = verification.peer
        guard let offered = verification.offered else {
            let number = "    " + verification.safetyNumber.grouped
            guard !verification.verified else { return [notice("safety number with \(nick(peer)) (verified):"), number] }
            return [
                notice("safety number with \(nick(peer)) (not verified):"), number,
                notice("read it to each other by voice or in person; if \(nick(peer))'s is the same: /verify \(peer) confirmed"),
            ]
        }
        return [
            paint("*** \(peer) presented a NEW KEY. Compare this number with \(peer) by voice or in person:", "1;31"),
            "    " + offered.grouped,
            notice("if theirs is the same, accept the key with /verify \(peer) confirmed; the old key's number was:"),
            "    " + verification.safetyNumber.grouped,
        ]
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

    private func queryLine(_ id: String, _ address: PeerAddress?, _ path: PeerPath?) -> String {
        guard let address else { return notice("\(nick(id)) is offline") }
        var text = "\(nick(id)) is \(paint("online", "32")) at \(SafeText.line(address.host))"
        if let port = address.port {
            text += " port \(port)"
        } else {
            text += " (a course client: no peer port)"
        }
        if let fingerprint = address.fingerprint { text += ", fingerprint \(Self.grouped(fingerprint))" }
        if let path { text += "; connected \(path.description)" }
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
            lines += tableRows(listed.map { ($0.usage, $0.summary) })
        }
        lines.append(notice("/help COMMAND tells more about one command, /help keys lists the keys"))
        return lines
    }

    /// `/help keys`: a table with `/help`'s columns.
    private func keyLines(_ bindings: [KeyBinding]) -> [String] {
        [notice("keys at the prompt:")] + tableRows(bindings.map { ($0.keys, $0.action) })
    }

    /// Rows of `/help`'s tables: the first column in bold, padded to `helpColumnWidth` (or to its widest
    /// entry), two spaces, the second.
    private func tableRows(_ rows: [(String, String)]) -> [String] {
        let width = max(Self.helpColumnWidth, rows.map(\.0.count).max() ?? 0)
        return rows.map { first, second in
            let padded = first.padding(toLength: width, withPad: " ", startingAt: 0)
            return "    \(paint(padded, "1"))  \(second)"
        }
    }

    /// The width of the first column of every help table, so `/help` and `/help keys` line up: the widest
    /// usage of the chat commands.
    static let helpColumnWidth = CommandSpec.all.filter { $0.section == .chat }.map(\.usage.count).max() ?? 0

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
        if let leftAt = group.leftAt {
            return [notice("you left \(nick(group.shownName)) at \(time(leftAt)); /group list shows the groups you are in")]
        }
        return [notice("\(nick(group.shownName)): owner \(nick(group.owner)), \(group.members.count) members, version \(group.version)")]
            + group.members.map { member in
                var details = [member.online ? paint("online", "32") : "offline"]
                if !member.hasGroup { details.append("has not got the group yet") }
                if member.waitingTexts > 0 {
                    details.append(paint("waits for \(member.waitingTexts) of your texts", "33"))
                }
                return "    \(nick(member.id)) (\(details.joined(separator: ", ")))"
            }
    }

    /// `[10:42] <alice> text` (in a group `[10:42] #team <alice> text`; an action: `[10:42] * alice waves`), continuation lines of a multi-line text indented under the text. A `live` line of
    /// yours to someone other than the current conversation says whom it went to: `<alice→carol>`.
    /// `numbered` (history, search) puts the message's number first, the N of `/reply N`. A reply
    /// starts with the start of what it answers, `[re bob: see you at ten] yes`; a changed message
    /// ends in `(edited)`, a deleted one reads `[deleted]`.
    func messageLines(
        _ message: StoredMessage, showingConversation: Bool = false, live: Bool = false, numbered: Bool = false
    ) -> [String] {
        let number = numbered && message.number > 0 ? "\(message.number) " : ""
        let stamp = number + "[\(time(message.storedAt))]"
        let isGroup = message.conversation.hasPrefix("#")
        let conversation =
            isGroup ? "\(SafeText.line(message.conversation)) "
            : showingConversation ? "(with \(SafeText.line(message.conversation))) " : ""
        let mine = message.direction == .outgoing
        var sender = SafeText.line(message.sender)
        if live, mine, !isGroup, message.recipient != self.conversation { sender += "→" + SafeText.line(message.recipient) }
        let paintedSender = paint(sender, mine ? "1" : Self.colour(of: message.sender))
        // An action reads as a sentence about its sender: `* alice waves`.
        let plainPrefix = message.isAction ? "\(stamp) \(conversation)* \(sender) " : "\(stamp) \(conversation)<\(sender)> "
        let prefix = message.isAction
            ? "\(paint(stamp, "2")) \(conversation)* \(paintedSender) "
            : "\(paint(stamp, "2")) \(conversation)<\(paintedSender)> "
        // A group text no member has acked yet says how many wait for it; one any member has is sent.
        let waiting = message.waitingMembers > 0 ? " (queued for \(message.waitingMembers))" : " (queued)"
        let queued = mine && message.delivery == .queued ? paint(waiting, "2") : ""
        let indentWidth = TerminalText.width(of: plainPrefix)
        var body = message.isDeleted ? ["[deleted]"] : SafeText.lines(message.body)
        if body.isEmpty { body = [""] }
        if let quote = message.quote {
            let quoted = quote.isDeleted ? "[deleted]" : SafeText.line(quote.text)
            body[0] = "[re \(SafeText.line(quote.sender)): \(quoted)] " + body[0]
        }
        if message.isEdited, !message.isDeleted { body[body.count - 1] += " (edited)" }
        if let width { body = body.flatMap { Self.wrapped($0, width: width - indentWidth) } }
        let indent = String(repeating: " ", count: indentWidth)
        var lines = body.enumerated().map { index, line in
            (index == 0 ? prefix : indent) + (mine ? line : highlightingMe(in: line))
        }
        lines[lines.count - 1] += queued
        return lines
    }

    /// `line` with each mention of your id (a whole word, any case) painted.
    private func highlightingMe(in line: String) -> String {
        guard color, let me else { return line }
        var result = ""
        var rest = Substring(line)
        while let range = Mention.range(of: me, in: rest) {
            result += rest[..<range.lowerBound] + paint(String(rest[range]), "1;35")
            rest = rest[range.upperBound...]
        }
        return result + rest
    }

    /// The colour of an id (SGR attributes): from ``NickPalette``, the same for the same id on every run.
    static func colour(of id: String) -> String {
        NickPalette.terminal.colour(of: id).attributes
    }

    func notice(_ text: String) -> String {
        paint("-!-", "36") + " " + text
    }

    func alert(_ text: String) -> String {
        paint("***", "1;33") + " " + text
    }

    func errorLine(_ text: String) -> String {
        paint("error:", "1;31") + " " + SafeText.line(text)
    }

    func nick(_ id: String) -> String {
        paint(SafeText.line(id), "1")
    }

    func paint(_ text: String, _ attributes: String) -> String {
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

    /// Words of `text` in lines of at most `width` columns (10 at least); a word longer than a line is cut.
    static func wrapped(_ text: String, width: Int) -> [String] {
        let width = max(width, 10)
        guard TerminalText.width(of: text) > width else { return [text] }
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        for (index, word) in text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            var word = String(word)
            var wordWidth = TerminalText.width(of: word)
            if index > 0 {
                if currentWidth + 1 + wordWidth <= width {
                    current += " "
                    currentWidth += 1
                } else {
                    lines.append(current)
                    (current, currentWidth) = ("", 0)
                }
            }
            // Only at the start of a line can a word not fit: cut it into lines of its own.
            while wordWidth > width {
                var piece = ""
                var pieceWidth = 0
                for character in word {
                    let characterWidth = TerminalText.width(of: String(character))
                    if !piece.isEmpty, pieceWidth + characterWidth > width { break }
                    piece.append(character)
                    pieceWidth += characterWidth
                }
                lines.append(piece)
                word.removeFirst(piece.count)
                wordWidth -= pieceWidth
            }
            current += word
            currentWidth += wordWidth
        }
        lines.append(current)
        return lines
    }
}
