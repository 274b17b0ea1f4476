import ChatIdentity
import ChatWire
import Foundation
import Shell
import Synchronization

@testable import ChatEngine

/// A chat engine in memory, for driving ``ShellSession`` without a network: friends and messages are
/// what the test says, events are what the test sends, and every call is recorded.
final class FakeChatService: ChatService {
    struct Calls: Sendable, Equatable {
        var passwords: [String] = []
        var sent: [(text: String, peer: String, action: Bool)] = []
        var away: [String?] = []
        var markedRead: [String] = []
        var drained = 0
        var closed = 0
        var echoCancellation: [Bool] = []
        var sharedReceipts: [ReceiptChoices] = []
        var typing: [(peer: String, active: Bool)] = []
        /// `/edit`, `/delete` and `/reply` as the engine got them: `edit bob 1 TEXT`, `delete bob 2`, `reply bob 12 TEXT`.
        var changes: [String] = []
        var keepEdits: [Bool] = []

        static func == (lhs: Calls, rhs: Calls) -> Bool {
            lhs.passwords == rhs.passwords && lhs.sent.map(\.text) == rhs.sent.map(\.text)
                && lhs.sent.map(\.peer) == rhs.sent.map(\.peer) && lhs.sent.map(\.action) == rhs.sent.map(\.action)
                && lhs.away == rhs.away && lhs.markedRead == rhs.markedRead
                && lhs.drained == rhs.drained && lhs.closed == rhs.closed && lhs.echoCancellation == rhs.echoCancellation
                && lhs.sharedReceipts == rhs.sharedReceipts && lhs.typing.map(\.peer) == rhs.typing.map(\.peer)
                && lhs.typing.map(\.active) == rhs.typing.map(\.active)
        }
    }

    struct State: Sendable {
        var friends: [ChatEngine.Friend] = []
        var unread: [String: [StoredMessage]] = [:]
        var loginError: EngineError?
        var delivery = ChatEngine.Delivery.delivered
        var groups: [GroupSummary] = []
        /// What `refusedChangeCount` answers: forged edits and deletes the engine refused.
        var refusedChanges = 0
        var calls = Calls()
        /// What `readMark(of:)` answers: the id of the last message each friend read.
        var readMarks: [String: String] = [:]
        /// Run by `send` after the message is taken and before it returns, as if while it waited for the ack.
        var whileSending: (@Sendable () async -> Void)?
    }

    let user: String
    let fingerprint = Fingerprint(hex: String(repeating: "3f2a91bc", count: 8))!
    let events: AsyncStream<EngineEvent>
    private let eventSink: AsyncStream<EngineEvent>.Continuation
    let state: Mutex<State>

    init(user: String, friends: [String] = [], state: State = State()) {
        self.user = user
        var state = state
        state.friends += friends.map { ChatEngine.Friend(id: $0, fingerprint: "", online: true, unread: 0) }
        self.state = Mutex(state)
        (events, eventSink) = AsyncStream.makeStream(of: EngineEvent.self)
    }

    /// Something happens, as if a peer or the locator did it.
    func emit(_ event: EngineEvent) {
        eventSink.yield(event)
    }

    var calls: Calls { state.withLock { $0.calls } }

    func logIn(password: String) async throws {
        let error = state.withLock { state in
            state.calls.passwords.append(password)
            return state.loginError
        }
        if let error { throw error }
        emit(.session(.loggedIn(user: user, registered: false)))
    }

    func close() async {
        state.withLock { $0.calls.closed += 1 }
        emit(.session(.loggedOut(user: user)))
        eventSink.finish()
    }

    func drain(within limit: Duration) async {
        state.withLock { $0.calls.drained += 1 }
    }

    var peerPort: Int? { 5000 }
    var isLocatorConnected: Bool { true }
    func queuedCount() async throws -> Int { 0 }

    func query(_ peer: String) async throws -> PeerAddress? { nil }

    func path(to peer: String) async -> PeerPath? { nil }

    func friends() async throws -> [ChatEngine.Friend] {
        state.withLock { state in
            state.friends.map { friend in
                var friend = friend
                friend.unread = state.unread[friend.id]?.count ?? 0
                return friend
            }
        }
    }

    func isFriend(_ peer: String) async throws -> Bool {
        state.withLock { $0.friends.contains { $0.id == peer } }
    }

    func requests() async throws -> (incoming: [FriendRequest], outgoing: [FriendRequest]) { ([], []) }
    func addFriend(_ peer: String) async throws -> ChatEngine.FriendRequestOutcome { .queued }
    func acceptFriend(_ peer: String) async throws {}
    func rejectFriend(_ peer: String) async throws {}

    func removeFriend(_ peer: String) async throws {
        state.withLock { $0.friends.removeAll { $0.id == peer } }
    }

    /// A friend's key is made from their name; the number is the real one for that key.
    func verification(of peer: String) async throws -> ChatEngine.Verification {
        guard let friend = state.withLock({ $0.friends.first { $0.id == peer } }) else { throw FriendError.notFriend(peer) }
        let number = SafetyNumber((user: user, fingerprint: fingerprint), (user: peer, fingerprint: Fingerprint(publicKeyDER: Array(peer.utf8))))
        return ChatEngine.Verification(peer: peer, safetyNumber: number, verified: friend.verified)
    }

    func confirmVerification(of peer: String) async throws -> ChatEngine.Verification {
        _ = try await verification(of: peer)
        state.withLock { state in
            for index in state.friends.indices where state.friends[index].id == peer { state.friends[index].verified = true }
        }
        return try await verification(of: peer)
    }

    func editMessage(_ text: String, in conversation: String, _ choice: MessageChoice) async throws -> StoredMessage {
        try changed(conversation, choice, "edit", text: text)
    }

    func deleteMessage(in conversation: String, _ choice: MessageChoice) async throws -> StoredMessage {
        try changed(conversation, choice, "delete", text: nil)
    }

    /// The user's message as the change leaves it; only `/edit 1` and `/delete 1` find one.
    private func changed(_ conversation: String, _ choice: MessageChoice, _ kind: String, text: String?) throws -> StoredMessage {
        guard case .ownNthLast(let n) = choice else { throw MessageError.noneOfYours(conversation) }
        state.withLock { $0.calls.changes.append("\(kind) \(conversation) \(n)" + (text.map { " " + $0 } ?? "")) }
        guard n == 1 else { throw MessageError.fewerOfYours(1, conversation) }
        var message = StoredMessage.outgoing(id: "m-mine", from: user, to: conversation, body: text ?? "")
        message.delivery = .delivered
        message.isEdited = text != nil
        message.isDeleted = text == nil
        return message
    }

    /// A reply to message 1 only, which is bob's "see you at ten".
    func reply(to number: Int, in conversation: String, text: String) async throws -> StoredMessage {
        state.withLock { $0.calls.changes.append("reply \(conversation) \(number) \(text)") }
        guard number == 1 else { throw MessageError.noSuchMessage(number, conversation) }
        var message = StoredMessage.outgoing(id: "m-reply", from: user, to: conversation, body: text)
        message.delivery = .delivered
        message.replyTo = "m-1"
        message.quote = StoredMessage.Quote(sender: conversation, body: "see you at ten", isDeleted: false)
        return message
    }

    func setKeepEdits(_ on: Bool) async {
        state.withLock { $0.calls.keepEdits.append(on) }
    }

    func refusedChangeCount() async throws -> Int { state.withLock { $0.refusedChanges } }

    func setEchoCancellation(_ on: Bool) async {
        state.withLock { $0.calls.echoCancellation.append(on) }
    }

    func shareReceipts(readReceipts: Bool, typing: Bool) async {
        state.withLock { $0.calls.sharedReceipts.append(ReceiptChoices(receipts: readReceipts, typing: typing)) }
    }

    func typing(to peer: String, active: Bool) async {
        state.withLock { $0.calls.typing.append((peer, active)) }
    }

    func readMark(of peer: String) async throws -> String? {
        state.withLock { $0.readMarks[peer] }
    }

    func sendFile(at path: String, to peer: String) async throws -> (transfer: FileTransfer, offered: Bool) {
        throw TransferError.unusableFile(path, reason: "the fake engine sends no files")
    }

    func transferOutcome(_ number: Int, stopsAtWaiting: Bool) async throws -> FileTransfer {
        throw TransferError.noTransfer(number)
    }

    func acceptFile(_ number: Int, into directory: URL?) async throws -> FileTransfer {
        throw TransferError.noTransfer(number)
    }

    func declineFile(_ number: Int) async throws { throw TransferError.noTransfer(number) }
    func cancelFile(_ number: Int) async throws { throw TransferError.noTransfer(number) }
    func fileTransfers() async throws -> [FileTransfer] { [] }

    func createGroup(_ name: String, members: [String]) async throws -> GroupSummary { throw EngineError.notLoggedIn }
    func groups() async throws -> [GroupSummary] { state.withLock { $0.groups } }
    func groupInfo(_ name: String) async throws -> GroupSummary { throw EngineError.notLoggedIn }
    func inviteToGroup(_ name: String, _ peer: String) async throws {}
    func kickFromGroup(_ name: String, _ peer: String) async throws {}
    func leaveGroup(_ name: String) async throws {
        state.withLock { $0.groups.removeAll { $0.shownName == name || $0.name == name } }
    }
    func sendToGroup(_ text: String, group name: String) async throws -> StoredMessage { throw EngineError.notLoggedIn }
    func groupHistory(_ name: String, limit: Int) async throws -> [StoredMessage] { [] }
    func groupName(ofConversation conversation: String) async throws -> String? { nil }

    func setAway(_ reason: String?) async throws {
        state.withLock { $0.calls.away.append(reason) }
    }

    func send(_ text: String, to peer: String, action: Bool) async throws -> (id: String, delivery: ChatEngine.Delivery) {
        let (result, whileSending) = try state.withLock { state in
            guard state.friends.contains(where: { $0.id == peer }) else { throw FriendError.notFriend(peer) }
            state.calls.sent.append((text, peer, action))
            return (("m\(state.calls.sent.count)", state.delivery), state.whileSending)
        }
        await whileSending?()
        return result
    }

    func history(with peer: String, limit: Int) async throws -> [StoredMessage] {
        try await markRead(peer)
        return []
    }

    func search(_ text: String, limit: Int) async throws -> [StoredMessage] { [] }

    func unreadMessages(from peer: String) async throws -> [StoredMessage] {
        state.withLock { $0.unread[peer] ?? [] }
    }

    func call(_ friend: String) async throws -> CallOutcome { .ended(.noAnswer) }
    func answerCall(from caller: String?) async throws { throw CallError.noIncomingCall }
    func rejectCall(from caller: String?) async throws { throw CallError.noIncomingCall }
    func hangUp() async throws { throw CallError.noCall }
    func callStatistics(publish: Bool) async throws -> CallStatistics { throw CallError.noCall }
    var currentCall: CallSummary? { nil }

    func markRead(_ peer: String) async throws {
        state.withLock { state in
            state.calls.markedRead.append(peer)
            state.unread[peer] = nil
        }
    }

    /// A message from `peer`, stored unread, and its event.
    func receive(_ text: String, from peer: String, at time: Date = Fixtures.now) {
        let message = StoredMessage.incoming(
            id: UUID().uuidString, from: peer, to: user, body: text, sentAt: time, storedAt: time)
        state.withLock { $0.unread[peer, default: []].append(message) }
        emit(.messaging(.message(message)))
    }
}
