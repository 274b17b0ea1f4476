import ChatEngine
import ChatIdentity
import ChatWire
import Foundation

/// What the shell needs from a chat engine: one user's commands, and the stream of what happens.
///
/// `ChatEngine` is the real one (`ChatEngine+ChatService.swift`); tests drive ``ShellSession``
/// against a fake. The shell reaches the engine only through this, never its store.
public protocol ChatService: Sendable {
    var user: String { get }
    var fingerprint: Fingerprint { get }
    /// Everything that happens, in order; finishes after ``close()``.
    var events: AsyncStream<EngineEvent> { get }

    /// Logs in to the locator (registering the name on first use) and starts reaching peers.
    func logIn(password: String) async throws
    /// Logs out and finishes ``events``.
    func close() async
    /// Waits (at most `limit`) until what is queued for reachable peers is acknowledged.
    func drain(within limit: Duration) async

    var peerPort: Int? { get async }
    var isLocatorConnected: Bool { get async }
    func queuedCount() async throws -> Int

    func query(_ peer: String) async throws -> PeerAddress?
    /// How the live connection to `peer` travels; nil while there is none.
    func path(to peer: String) async -> PeerPath?
    func friends() async throws -> [ChatEngine.Friend]
    func isFriend(_ peer: String) async throws -> Bool
    func requests() async throws -> (incoming: [FriendRequest], outgoing: [FriendRequest])
    /// Asks `peer` to be friends: at once when online, queued (kept across restarts) when not.
    func addFriend(_ peer: String) async throws -> ChatEngine.FriendRequestOutcome
    func acceptFriend(_ peer: String) async throws
    func rejectFriend(_ peer: String) async throws
    func removeFriend(_ peer: String) async throws
    /// The safety numbers to compare with friend `peer`.
    func verification(of peer: String) async throws -> ChatEngine.Verification
    /// Marks `peer` verified, accepting a new key they presented (the one whose number was compared).
    func confirmVerification(of peer: String) async throws -> ChatEngine.Verification

    /// Sends `text` (an action, `/me waves`, when `action`) and says whether it was delivered or queued.
    func send(_ text: String, to peer: String, action: Bool) async throws -> (id: String, delivery: ChatEngine.Delivery)
    /// Marks the user away with `reason` (told to friends), or back with nil.
    func setAway(_ reason: String?) async throws
    /// The last `limit` messages with `peer`, oldest first; marks them read.
    func history(with peer: String, limit: Int) async throws -> [StoredMessage]
    func search(_ text: String, limit: Int) async throws -> [StoredMessage]
    /// The unread messages from `peer`, oldest first, without marking them read.
    func unreadMessages(from peer: String) async throws -> [StoredMessage]
    /// Marks every message from `peer` read: the user has seen them.
    func markRead(_ peer: String) async throws
    /// Changes the text of one of the user's messages in `conversation` (a friend or a `#group`),
    /// for everyone in it; returns the message as it is now.
    func editMessage(_ text: String, in conversation: String, _ choice: MessageChoice) async throws -> StoredMessage
    /// Deletes one of the user's messages in `conversation`, for everyone in it.
    func deleteMessage(in conversation: String, _ choice: MessageChoice) async throws -> StoredMessage
    /// Sends `text` in `conversation` as a reply to its message numbered `number`.
    func reply(to number: Int, in conversation: String, text: String) async throws -> StoredMessage
    /// Whether edits and deletes keep the text they replace (`/set keep-edits`).
    func setKeepEdits(_ on: Bool) async
    /// How many edits and deletes from peers were refused as not their author's.
    func refusedChangeCount() async throws -> Int

    /// Offers the file at `path` to `peer` (`offered` is false when it waits for them to come online).
    func sendFile(at path: String, to peer: String) async throws -> (transfer: FileTransfer, offered: Bool)
    /// Waits until transfer `number` ends (or, with `stopsAtWaiting`, waits for the other side).
    func transferOutcome(_ number: Int, stopsAtWaiting: Bool) async throws -> FileTransfer
    func acceptFile(_ number: Int, into directory: URL?) async throws -> FileTransfer
    func declineFile(_ number: Int) async throws
    func cancelFile(_ number: Int) async throws
    /// Every transfer, newest first.
    func fileTransfers() async throws -> [FileTransfer]

    /// Makes a group of this user and `members` (friends); returns it as shown.
    func createGroup(_ name: String, members: [String]) async throws -> GroupSummary
    func groups() async throws -> [GroupSummary]
    func groupInfo(_ name: String) async throws -> GroupSummary
    func inviteToGroup(_ name: String, _ peer: String) async throws
    func kickFromGroup(_ name: String, _ peer: String) async throws
    func leaveGroup(_ name: String) async throws
    func sendToGroup(_ text: String, group name: String) async throws -> StoredMessage
    /// The last `limit` messages of a group, oldest first; marks them read.
    func groupHistory(_ name: String, limit: Int) async throws -> [StoredMessage]
    /// The shown `#name` of a stored group conversation (`#<id>`), nil for a direct one.
    func groupName(ofConversation conversation: String) async throws -> String?
    /// Calls `friend`; returns once the call is answered, refused, busy or unanswered.
    func call(_ friend: String) async throws -> CallOutcome
    func answerCall(from caller: String?) async throws
    func rejectCall(from caller: String?) async throws
    func hangUp() async throws
    /// Whether the calls that follow clean a sound card's microphone of the peer's echo.
    func setEchoCancellation(_ on: Bool) async
    /// The figures of the call in progress (published as an event when `publish`).
    func callStatistics(publish: Bool) async throws -> CallStatistics
    var currentCall: CallSummary? { get async }

    /// Turns read receipts and typing indicators on or off; friends who share them too are told.
    func shareReceipts(readReceipts: Bool, typing: Bool) async
    /// A key in the query to `peer` (`active`), or its line was sent or cleared.
    func typing(to peer: String, active: Bool) async
    /// The id of this user's newest message that `peer` said they read; nil when none.
    func readMark(of peer: String) async throws -> String?
}

/// Makes the service for a user who logs in.
public typealias ChatServiceFactory = @Sendable (_ user: String) throws -> any ChatService
