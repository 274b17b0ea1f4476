import ChatIdentity
import ChatWire
import Foundation
import GRDB
import Logging
import NIOCore

/// Group chats: membership ordered by version, announcements until every member confirmed them,
/// and group text through the outbox (one frame per member) with each sender's order kept.
///
/// Members need not be friends of each other: each announcement carries every member's
/// fingerprint, which pins the connection between two members (`expectedFingerprint`). The
/// author of a change (or the owner) tells everyone until each confirms with `have`; a member who
/// was offline also catches up from whichever member it next connects to.
actor GroupsPart: EnginePart {
    static let envelopeTypes: [EnvelopeType] = [.group]

    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        ChatStore.registerGroups(in: &migrator)
    }

    unowned let core: ChatEngine
    private var store: ChatStore { core.store }
    private var user: String { core.user }
    private var logger: Logger { core.logger }
    private var messaging: MessagingPart { core.parts.part(MessagingPart.self) }

    /// The version of each group announced on a connection (by connection id): not repeated on it.
    private var announcedOn: [Int: [String: Int64]] = [:]
    /// Connections (by id) on which we asked, per group, for the group and its texts again: asked
    /// once until a text arrives, and again when a newer version may let us place them.
    private var asked: [String: [Int: PeerConnection]] = [:]
    /// The running announcement round of each peer, owned here and cancelled when the session ends.
    private var announcing: [String: SessionWork] = [:]
    /// The login session's task tree, where announcements run. Nil between sessions.
    private var scope: SessionScope?
    /// Peers whose refused announcement was logged this session: logged once, not on every resend.
    private var refusedFrom: Set<String> = []

    init(core: ChatEngine) {
        self.core = core
    }

    // MARK: Commands

    func create(name: String, members: [String]) async throws -> GroupRecord {
        var listed = [GroupMember(id: user, fingerprint: core.fingerprint.hex)]
        for member in members {
            guard let contact = try await store.contact(id: member) else { throw FriendError.notFriend(member) }
            listed.append(GroupMember(id: member, fingerprint: contact.fingerprint))
        }
        let wanted = Set(listed.map(\.id))
        let names = try await shownNames()
        for group in try await store.groups() where group.contains(user) && Set(group.memberIDs) == wanted {
            throw GroupError.sameMembers(existing: names[group.id] ?? "#" + group.name)
        }
        let id = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max)) }.joined()
        let record = GroupRecord(id: id, name: name, owner: user, version: 1, members: listed)
        try await commit(record)
        return record
    }

    func invite(_ peer: String, to group: GroupRecord) async throws {
        try await requireOwner(group)
        guard !group.contains(peer) else { throw GroupError.alreadyMember(group: try await shownName(group), user: peer) }
        guard group.members.count < GroupHeader.maxMembers else { throw GroupError.tooManyMembers(GroupHeader.maxMembers) }
        guard let contact = try await store.contact(id: peer) else { throw FriendError.notFriend(peer) }
        try await commit(group.adding(GroupMember(id: peer, fingerprint: contact.fingerprint)))
    }

    func kick(_ peer: String, from group: GroupRecord) async throws {
        try await requireOwner(group)
        guard peer != user else { throw EngineError.yourself }
        guard group.contains(peer) else { throw GroupError.notMember(group: try await shownName(group), user: peer) }
        try await commit(group.removing(peer))
    }

    func leave(_ group: GroupRecord) async throws {
        try await commit(group.removing(user))
    }

    /// Stores `text` for every other member (one outbox frame each, numbered per member), sends it,
    /// and waits (at most `ackWait`) for the members online to ack it. The message returned is
    /// delivered once one member (or no one else is in the group) has it, and says how many members
    /// it still waits for.
    func send(_ text: String, to group: GroupRecord, replyTo: String? = nil) async throws -> StoredMessage {
        let (me, time, id, store) = (user, Date(), Envelope.newID(), store)
        var message = StoredMessage(
            id: id, conversation: group.conversation, sender: me, recipient: group.conversation, body: text,
            sentAt: time, storedAt: time, direction: .outgoing, delivery: .queued, isRead: true)
        message.replyTo = replyTo
        let queued = message
        let (peers, acked) = try await messaging.sendGroupText(id) {
            try await store.enqueueGroupMessage(queued, group: group.id, me: me) { peer, sequence in
                let frame = Envelope(
                    type: .group, source: me, target: peer, time: time, id: id, data: text,
                    group: GroupHeader(id: group.id, sequence: sequence), ref: replyTo)
                return Data(try frame.encoded().readableBytesView)
            }
        }
        if peers.isEmpty || !acked.isEmpty { message.delivery = .delivered }
        message.waitingMembers = peers.filter { !acked.contains($0) }.count
        return message
    }

    /// Applies this user's change of their text in `group` and sends it to every other member, in
    /// each one's order of group texts, through the outbox; waits as `send` does.
    func sendChange(_ change: MessageChange, in group: GroupRecord) async throws -> StoredMessage {
        let (me, store, keep) = (user, store, await messaging.keepEdits)
        _ = try await messaging.sendGroupText(change.id) {
            try await store.enqueueGroupChange(change, group: group.id, me: me, keepOriginal: keep) { peer, sequence in
                let frame = Envelope(
                    type: change.kind == .edit ? .edit : .delete, source: me, target: peer, time: change.sentAt, id: change.id,
                    data: change.text, group: GroupHeader(id: group.id, sequence: sequence), ref: change.target)
                return Data(try frame.encoded().readableBytesView)
            }.peers
        }
        guard let message = try await store.message(id: change.target, sender: me) else {
            throw ChatStore.Error.invalidMessage(id: change.target, reason: "not stored")
        }
        return message
    }

    private func requireOwner(_ group: GroupRecord) async throws {
        guard group.owner == user else {
            throw GroupError.notOwner(group: try await shownName(group), owner: group.owner ?? "nobody")
        }
    }

    /// Applies a change this user made (signed: as its owner, or as the member who leaves), tells
    /// the user, and starts telling the others.
    private func commit(_ record: GroupRecord) async throws {
        guard let change = try await store.applyGroup(try record.signed(by: user, with: core.identity)) else {
            throw GroupError.changedMeanwhile(try await shownName(record))
        }
        await tell(change)
        for peer in Set(change.new.memberIDs + change.left) where peer != user { requestAnnouncements(to: peer) }
    }

    // MARK: Names

    /// How the user sees each group: `#name`, or `#name~3f2a` while another of their groups has the same name.
    func shownNames() async throws -> [String: String] {
        let groups = try await store.groups()
        var counts: [String: Int] = [:]
        for group in groups where group.contains(user) { counts[group.name, default: 0] += 1 }
        var names: [String: String] = [:]
        for group in groups {
            names[group.id] = (counts[group.name] ?? 0) > 1 ? "#\(group.name)~\(group.id.prefix(4))" : "#\(group.name)"
        }
        return names
    }

    func shownName(_ group: GroupRecord) async throws -> String {
        try await shownNames()[group.id] ?? "#" + group.name
    }

    // MARK: Events

    /// Says what a newer version changed, once, whichever path brought it.
    private func tell(_ change: GroupChange) async {
        let shown = (try? await shownName(change.new)) ?? "#" + change.new.name
        let wasIn = change.old?.contains(user) ?? false
        let isIn = change.new.contains(user)
        if wasIn != isIn {
            do {
                try await store.recordLeaving(change.new.id, at: isIn ? nil : Date())
            } catch {
                logger.error("could not record leaving a group", metadata: ["group": "\(change.new.id)", "error": "\(error)"])
            }
        }
        if !wasIn, isIn {
            core.emit(.groups(.created(group: shown, owner: change.new.owner ?? "", members: change.new.memberIDs)))
        } else if wasIn, !isIn {
            core.emit(.groups(.memberLeft(group: shown, member: user)))
        } else if isIn {
            for member in change.joined { core.emit(.groups(.memberJoined(group: shown, member: member))) }
            for member in change.left { core.emit(.groups(.memberLeft(group: shown, member: member))) }
            core.emit(.groups(.updated(group: shown, owner: change.new.owner ?? "", version: change.new.version)))
        }
        // Those taken out too: they must still learn of it when they come online.
        await core.watch((change.new.memberIDs + change.left).filter { $0 != user })
    }

    // MARK: Announcing

    /// Starts telling `peer` every group version it has not confirmed, in the session's tree;
    /// between sessions they wait for the next one.
    private func requestAnnouncements(to peer: String) {
        if let running = announcing[peer], !running.isFinished { return }
        announcing[peer] = scope?.start { await self.runAnnouncements(to: peer) }
    }

    private func runAnnouncements(to peer: String) async {
        await announcePending(to: peer)
        announcing[peer] = nil
    }

    private func announcePending(to peer: String) async {
        do {
            let pending = try await store.pendingAnnouncements(me: user).filter { $0.peer == peer }
            guard !pending.isEmpty, !Task.isCancelled else { return }
            let connection = try await core.reach(peer)
            for (groupID, _) in pending {
                guard let group = try await store.group(id: groupID) else { continue }
                try await announce(group, on: connection)
            }
        } catch {
            logger.debug("group announcement still waits", metadata: ["peer": "\(peer)", "reason": "\(error)"])
        }
    }

    private func announce(_ group: GroupRecord, on connection: PeerConnection) async throws {
        guard (announcedOn[connection.id]?[group.id] ?? 0) < group.version else { return }
        var group = group
        if group.signature == nil, group.owner == user {
            // A version stored before announcements were signed: its owner signs it now.
            try await store.storeSignatureIfUnsigned(try group.signed(by: user, with: core.identity))
            guard let stored = try await store.group(id: group.id), stored.version == group.version else { return }
            group = stored
        }
        try await connection.send(Envelope(
            type: .group, source: user, target: connection.peer, data: group.version == 1 ? "Group Create" : "Group Update",
            groupName: group.name,
            group: GroupHeader(
                id: group.id, operation: .announce, version: group.version, owner: group.owner, members: group.members,
                signature: group.signature)))
        announcedOn[connection.id, default: [:]][group.id] = group.version
    }

    /// Tells the peer which version of the group we have (0: none yet).
    private func sendHave(_ group: GroupRecord?, id: String, operation: GroupOperation, on connection: PeerConnection) async throws {
        try await connection.send(Envelope(
            type: .group, source: user, target: connection.peer,
            group: GroupHeader(id: id, operation: operation, version: group?.version ?? 0)))
    }

    // MARK: Receiving

    func received(_ envelope: Envelope, on connection: PeerConnection) async throws {
        guard let header = envelope.group else {
            logger.notice("dropped a GROUP frame without a group id", metadata: ["peer": "\(envelope.source)"])
            return
        }
        switch header.operation {
        case nil: try await receiveText(envelope, header: header, on: connection)
        case .announce: try await receiveAnnouncement(envelope, header: header, on: connection)
        case .have, .missing: try await receiveHave(envelope, header: header, on: connection)
        }
    }

    private func receiveText(_ envelope: Envelope, header: GroupHeader, on connection: PeerConnection) async throws {
        guard let text = envelope.data, let sequence = header.sequence else { return }
        let conversation = GroupRecord.conversation(of: header.id)
        var message = StoredMessage(
            id: envelope.id, conversation: conversation, sender: envelope.source, recipient: conversation, body: text,
            sentAt: envelope.time, storedAt: Date(), direction: .incoming, delivery: nil, isRead: false)
        message.replyTo = envelope.ref
        let (outcome, stored) = try await store.insertGroupIncoming(message, group: header.id, sequence: sequence, me: user)
        if outcome == .stored, var stored {
            if let replyTo = stored.replyTo { stored.quote = try? await store.quote(of: replyTo, in: conversation) }
            if let group = try await store.group(id: header.id) {
                core.emit(.groups(.message(group: try await shownName(group), message: stored)))
            }
        }
        try await settle(outcome, of: envelope, group: header.id, on: connection)
    }

    /// A member's edit or delete of one of their group texts: placed in the sender's order as a
    /// text is, applied once and only to the sender's own text, then acked.
    func receiveChange(_ change: MessageChange, envelope: Envelope, on connection: PeerConnection) async throws {
        guard let header = envelope.group, let sequence = header.sequence else { return }
        let (outcome, applied) = try await store.insertGroupChange(
            change, group: header.id, sequence: sequence, me: user, keepOriginal: await messaging.keepEdits)
        if let applied { await messaging.logIfRefused(applied, change) }
        if case .applied(let message) = applied, let group = try await store.group(id: header.id) {
            let shown = try await shownName(group)
            core.emit(.groups(message.isDeleted ? .messageDeleted(group: shown, message: message) : .messageEdited(group: shown, message: message)))
        }
        try await settle(outcome, of: envelope, group: header.id, on: connection)
    }

    /// Acks a group frame that is stored (or stored already), or asks its sender for what comes
    /// before it when it could not be placed yet.
    private func settle(_ outcome: GroupIncomingOutcome, of envelope: Envelope, group: String, on connection: PeerConnection) async throws {
        switch outcome {
        case .stored:
            asked[group]?[connection.id] = nil
        case .duplicate, .notMember:
            break
        case .outOfOrder, .unknownGroup, .notFromMember:
            // Not acked: a real member keeps it. We may only be behind (the sender joined in a version
            // we have not got yet): ask once for the group and its texts again.
            logger.debug("could not place group text yet", metadata: ["peer": "\(envelope.source)"])
            guard asked[group]?[connection.id] == nil else { return }
            asked[group, default: [:]][connection.id] = connection
            try await sendHave(try await store.group(id: group), id: group, operation: .missing, on: connection)
            return
        }
        // Acked only once stored (again, for a duplicate whose first ack was lost).
        try await connection.send(Envelope(type: .ack, source: user, target: envelope.source, data: envelope.id))
    }

    private func receiveAnnouncement(_ envelope: Envelope, header: GroupHeader, on connection: PeerConnection) async throws {
        guard let version = header.version, let members = header.members, let name = envelope.groupName else { return }
        let source = envelope.source
        var incoming = GroupRecord(
            id: header.id, name: name, owner: header.owner, version: version, members: members, signature: header.signature)
        let current = try await store.group(id: header.id)
        if let current {
            guard current.contains(source) else {
                logger.notice("dropped a group announcement from someone not in the group", metadata: ["peer": "\(source)"])
                return
            }
            if version < current.version {
                try await announce(current, on: connection)
                return
            }
        } else {
            // A group new to us: we must be in it, and a friend vouches for it (its author or owner).
            var vouched = try await store.contact(id: source) != nil
            if !vouched, let owner = header.owner { vouched = try await store.contact(id: owner) != nil }
            guard incoming.contains(user), incoming.contains(source), vouched else {
                logger.notice("dropped an announcement of a group nobody we know vouches for", metadata: ["peer": "\(source)"])
                return
            }
        }
        if version > current?.version ?? 0 {
            if let refusal = await refusal(of: incoming, over: current, on: connection) {
                if refusedFrom.insert(source).inserted {
                    logger.notice(
                        "refused a group announcement", metadata: ["peer": "\(source)", "group": "\(header.id)", "reason": "\(refusal)"])
                }
                return
            }
            // A member's leave reaches the owner signed by that member; the owner signs it too, so
            // that members further behind, who cannot check a leave against the version before it,
            // get a version they can check.
            if incoming.owner == user, incoming.signature?.signer != user {
                incoming = try incoming.signed(by: user, with: core.identity)
            }
        }
        if let change = try await store.applyGroup(incoming) {
            await tell(change)
            // Texts we could not place before may fit now: ask their senders again.
            for (_, waiting) in asked.removeValue(forKey: header.id) ?? [:] {
                try? await sendHave(change.new, id: header.id, operation: .missing, on: waiting)
            }
            // The new owner takes over telling those who have not confirmed yet.
            if change.new.owner == user, change.old?.owner != user {
                for peer in change.new.memberIDs + change.left where peer != user { requestAnnouncements(to: peer) }
            }
        }
        try await store.recordKnownVersion(version, of: header.id, peer: source)
        try await sendHave(try await store.group(id: header.id), id: header.id, operation: .have, on: connection)
    }

    /// Why `incoming` may not replace `current` (nil: it may). Only the owner changes a group, and
    /// signs each version; the one change a member signs is their own leave. The signer's key must
    /// have the fingerprint held for them: the one in `current`, or for a group new to us the one it
    /// lists for its owner, confirmed by the connection, a friendship or the locator.
    private func refusal(of incoming: GroupRecord, over current: GroupRecord?, on connection: PeerConnection) async -> String? {
        guard let signer = incoming.signature?.signer else { return "it is not signed" }
        let fingerprint: String?
        if let current {
            guard signer == current.owner || current.isLeave(of: signer, giving: incoming) else {
                return "\(signer) may not make this change: only the owner changes the group"
            }
            fingerprint = current.members.first { $0.id == signer }?.fingerprint
        } else {
            guard signer == incoming.owner else { return "a new group must be signed by its owner" }
            fingerprint = await confirmedFingerprint(of: signer, listed: incoming.members.first { $0.id == signer }?.fingerprint, on: connection)
        }
        guard let fingerprint else { return "the fingerprint listed for \(signer) cannot be confirmed" }
        return incoming.signatureProblem(signer: signer, fingerprint: fingerprint)
    }

    /// `listed` if it is `peer`'s fingerprint as far as we can tell without the group.
    private func confirmedFingerprint(of peer: String, listed: String?, on connection: PeerConnection) async -> String? {
        guard let listed else { return nil }
        let known: String?
        if peer == user {
            known = core.fingerprint.hex
        } else if peer == connection.peer {
            known = connection.fingerprint.hex
        } else if let pinned = try? await store.pinnedFingerprint(of: peer) {
            known = pinned
        } else {
            known = await core.publishedFingerprint(of: peer)
        }
        return known == listed ? listed : nil
    }

    private func receiveHave(_ envelope: Envelope, header: GroupHeader, on connection: PeerConnection) async throws {
        guard let version = header.version, let group = try await store.group(id: header.id) else { return }
        let source = envelope.source
        let owed = try await store.pendingAnnouncements(me: user).contains { $0.group == header.id && $0.peer == source }
        guard group.contains(source) || owed else { return }
        try await store.recordKnownVersion(version, of: header.id, peer: source)
        if version < group.version {
            announcedOn[connection.id]?[header.id] = nil
            try await announce(group, on: connection)
        }
        if header.operation == .missing { await messaging.resend(to: source) }
    }

    // MARK: Engine events

    func expectedFingerprint(of peer: String) async -> String? {
        try? await store.groupFingerprint(of: peer, me: user)
    }

    func watchedUsers() async throws -> Set<String> {
        var users: Set<String> = []
        for group in try await store.groups() where group.contains(user) { users.formUnion(group.memberIDs) }
        users.formUnion(try await store.pendingAnnouncements(me: user).map(\.peer))
        users.remove(user)
        return users
    }

    func peerConnected(_ connection: PeerConnection) async {
        guard let pending = try? await store.pendingAnnouncements(me: user) else { return }
        for (groupID, peer) in pending where peer == connection.peer {
            guard let group = try? await store.group(id: groupID) else { continue }
            try? await announce(group, on: connection)
        }
    }

    func peerDisconnected(_ connection: PeerConnection) async {
        announcedOn[connection.id] = nil
        for group in asked.keys { asked[group]?[connection.id] = nil }
    }

    func peerOnline(_ peer: String) async {
        if await isAnnouncer(for: peer) { requestAnnouncements(to: peer) }
    }

    func retry() async {
        for peer in Set(((try? await store.pendingAnnouncements(me: user)) ?? []).map(\.peer)) {
            guard await core.isOnline(peer), await isAnnouncer(for: peer) else { continue }
            requestAnnouncements(to: peer)
        }
    }

    /// Whether this user tells `peer` of changes unasked: as the owner of a group `peer` is behind
    /// in, or as someone who left it. Other members answer only when they meet `peer`, so one
    /// change does not make every member dial every other.
    private func isAnnouncer(for peer: String) async -> Bool {
        guard let pending = try? await store.pendingAnnouncements(me: user) else { return false }
        for (groupID, pendingPeer) in pending where pendingPeer == peer {
            guard let group = try? await store.group(id: groupID) else { continue }
            if group.owner == user || !group.contains(user) { return true }
        }
        return false
    }

    func sessionStarted(_ scope: SessionScope) async {
        self.scope = scope
    }

    func sessionEnded() async {
        let running = announcing.values
        for work in running { work.cancel() }
        for work in running { await work.finished() }
        announcing = [:]
        scope = nil
        announcedOn = [:]
        asked = [:]
        refusedFrom = []
    }
}
