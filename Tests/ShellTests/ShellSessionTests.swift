import ChatIdentity
import ChatWire
import Foundation
import Logging
import Synchronization
import Testing
import TestSupport

@testable import ChatEngine
@testable import Shell

/// ``ShellSession`` against ``FakeChatService``: what a user sees for what they type and what happens.
@Suite struct ShellSessionTests {
    static let options = ShellOptions(
        dataRoot: URL(fileURLWithPath: "/nonexistent"), locators: [LocatorAddress(host: "127.0.0.1", port: 8000)],
        locatorMode: .modern, listenHost: "127.0.0.1", listenPort: 0, json: false, color: false)

    let sink = RecordingSink()
    let service: FakeChatService
    let session: ShellSession

    init() {
        service = FakeChatService(user: "alice", friends: ["bob", "carol"])
        let service = service
        session = ShellSession(
            options: Self.options, sink: sink, logger: Logger(label: "test"), askPassword: { _ in nil },
            makeService: { user in
                #expect(user == "alice")
                return service
            })
    }

    /// Logs in as alice and forgets what that printed.
    func loggedIn() async throws {
        #expect(await session.run("/login alice secret") == .succeeded)
        // Events reach the session in order: once this one is seen, the login's has been handled.
        service.emit(.session(.presence(user: "bob", online: true)))
        #expect(await session.run("/wait presence id=bob") == .succeeded)
        _ = sink.takeLines()
    }

    @Test func commandsBeforeLoginSayHowToLogIn() async {
        #expect(await session.run("/friends") == .failed)
        #expect(await session.run("/msg bob hi") == .failed)
        #expect(sink.lines == ["error: not logged in: use /login ID first", "error: not logged in: use /login ID first"])
        #expect(await session.user == nil)
    }

    @Test func loginUsesThePasswordAndShowsTheEngineEvent() async throws {
        try await loggedIn()
        #expect(service.calls.passwords == ["secret"])
        #expect(await session.user == "alice")
        #expect(await session.friendIDs == ["bob", "carol"])
        #expect(await session.run("/login alice again") == .failed)
        #expect(sink.takeLines() == ["error: already logged in as alice: /logout first"])
    }

    @Test func aFailedLoginLeavesTheSessionLoggedOut() async {
        service.state.withLock { $0.loginError = .unreachable("locator", reason: "connection refused") }
        #expect(await session.run("/login alice secret") == .failed)
        #expect(await session.user == nil)
        #expect(sink.lines.last == "error: cannot reach locator: connection refused")
        #expect(service.calls.closed == 1, "the engine is closed, not left running")
    }

    @Test func textGoesToTheCurrentConversation() async throws {
        try await loggedIn()
        #expect(await session.run("hello") == .usageError)
        #expect(sink.takeLines() == ["error: \(CommandLineParser.noConversation)"])

        #expect(await session.run("/chat bob") == .succeeded)
        #expect(sink.takeLines() == ["-!- talking to bob: lines without / go to bob; /chat alone leaves"])
        #expect(await session.run("hello there") == .succeeded)
        #expect(await session.run("//slash") == .succeeded)
        #expect(service.calls.sent.map(\.text) == ["hello there", "/slash"])
        #expect(service.calls.sent.map(\.peer) == ["bob", "bob"])
        let shown = sink.takeLines()
        #expect(shown.count == 2)
        #expect(shown.first?.hasSuffix("<alice> hello there") == true, "\(shown)")
    }

    @Test func chatWithSomeoneWhoIsNoFriendIsRefused() async throws {
        try await loggedIn()
        #expect(await session.run("/chat dave") == .failed)
        #expect(sink.takeLines() == ["error: dave is not your friend: send a request with /add dave"])
        #expect(await session.conversation == nil)
    }

    @Test func messagesOutsideTheConversationCountAsUnreadInsideAsRead() async throws {
        try await loggedIn()
        #expect(await session.run("/chat bob") == .succeeded)
        service.receive("psst", from: "carol")
        service.receive("hi", from: "bob")
        #expect(await session.run("/wait message from=bob") == .succeeded)
        #expect(await session.unread == ["carol": 1])
        #expect(service.calls.markedRead.last == "bob", "bob's message was read as it arrived")
        #expect(!service.calls.markedRead.contains("carol"))
        let shown = sink.takeLines()
        #expect(shown.contains { $0.hasSuffix("<carol> psst") }, "\(shown)")
    }

    @Test func aGroupsNewVersionIsALineOnlyWhenItsOwnerChanged() async throws {
        func team(owner: String, version: Int64) -> GroupSummary {
            GroupSummary(id: "g1", name: "team", shownName: "#team", owner: owner, version: version, members: [], unread: 0)
        }
        service.state.withLock { $0.groups = [team(owner: "alice", version: 1)] }
        try await loggedIn()
        service.emit(.groups(.updated(group: "#team", owner: "alice", version: 2)))
        #expect(await session.run("/wait group_updated") == .succeeded)
        #expect(!sink.takeLines().contains { $0.contains("owned by") }, "a new version with the same owner is no news")

        service.state.withLock { $0.groups = [team(owner: "bob", version: 3)] }
        service.emit(.groups(.updated(group: "#team", owner: "bob", version: 3)))
        #expect(await session.run("/wait group_updated") == .succeeded)
        #expect(sink.takeLines().contains { $0.hasSuffix("-!- #team is now owned by bob") })
    }

    @Test func removingTheCurrentConversationLeavesIt() async throws {
        try await loggedIn()
        #expect(await session.run("/chat bob") == .succeeded)
        #expect(await session.run("/remove bob") == .succeeded)
        #expect(await session.conversation == nil)
        #expect(await session.friendIDs == ["carol"])
        #expect(sink.takeLines().last == "-!- bob is no longer your friend")
    }

    @Test func whoamiShowsTheServicesIdentity() async throws {
        try await loggedIn()
        #expect(await session.run("/whoami") == .succeeded)
        let shown = sink.takeLines()
        #expect(shown.contains("-!- fingerprint \(service.fingerprint.grouped)"), "\(shown)")
        #expect(shown.contains("-!- listening for peers on port 5000"), "\(shown)")
    }

    @Test func shutdownDrainsThenLogsOut() async throws {
        try await loggedIn()
        await session.shutdown()
        #expect(service.calls.drained == 1)
        #expect(service.calls.closed == 1)
        #expect(await session.user == nil)
        #expect(sink.takeLines() == ["[09:05] -!- logged out (alice)"])
    }
}

/// The session's IRC-like side: /chat replays unread, keys switch conversations, /set persists, mentions rank.
/// A class so that `deinit` removes the data directory once each test is done.
@Suite final class ShellSessionActivityTests {
    let sink = RecordingSink()
    let service = FakeChatService(user: "alice", friends: ["bob", "carol", "dave"])
    let directory: TemporaryDirectory
    var dataRoot: URL { directory.url }
    let session: ShellSession

    init() throws {
        directory = try TemporaryDirectory(prefix: "shell-session")
        var options = ShellSessionTests.options
        options.dataRoot = directory.url
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("alice"), withIntermediateDirectories: true)
        let service = service
        session = ShellSession(
            options: options, sink: sink, logger: Logger(label: "test"), askPassword: { _ in nil },
            makeService: { _ in service })
    }

    deinit {
        directory.remove()
    }

    func loggedIn() async {
        #expect(await session.run("/login alice pw") == .succeeded)
        service.emit(.session(.presence(user: "bob", online: true)))
        #expect(await session.run("/wait presence") == .succeeded)
        _ = sink.takeLines()
    }

    @Test func chatReplaysUnreadUnderAMarkerAndCountsDrop() async {
        await loggedIn()
        service.receive("one", from: "carol")
        service.receive("two, alice", from: "carol")
        #expect(await session.run("/wait message text=\"two, alice\"") == .succeeded)
        #expect(await session.state.activity["carol"] == Activity(unread: 2, level: .mention))
        _ = sink.takeLines()
        #expect(await session.run("/chat carol") == .succeeded)
        let shown = sink.takeLines()
        #expect(shown.count == 4, "\(shown)")
        #expect(shown.dropFirst().first == "--- unread ---")
        #expect(shown.last?.hasSuffix("<carol> two, alice") == true)
        #expect(await session.state.activity.isEmpty)
        #expect(sink.conversation == "carol")
    }

    @Test func countsOfALeftGroupOrARemovedFriendGoAtOnce() async {
        let crew = GroupSummary(id: "g1", name: "crew", shownName: "#crew", owner: "bob", version: 1, members: [], unread: 0)
        service.state.withLock { $0.groups = [crew] }
        await loggedIn()
        var text = Fixtures.incoming("to the crew", from: "bob")
        text.conversation = "#g1"
        service.emit(.groups(.message(group: "#crew", message: text)))
        service.receive("psst", from: "carol")
        service.receive("hey", from: "dave")
        #expect(await session.run("/wait message from=dave") == .succeeded)
        #expect(await session.state.activity.keys.sorted() == ["#crew", "carol", "dave"])

        // Removing a friend drops their count, and only theirs.
        #expect(await session.run("/remove carol") == .succeeded)
        #expect(await session.state.activity.keys.sorted() == ["#crew", "dave"])

        #expect(await session.run("/group leave crew") == .succeeded)
        #expect(await session.state.activity.keys.sorted() == ["dave"])
    }

    @Test func atATerminalWhatHappensWhileALineIsSentComesAfterIt() async throws {
        var options = ShellSessionTests.options
        options.holdsEventsWhileSending = true
        let service = service
        let sink = RecordingSink()
        let session = ShellSession(
            options: options, sink: sink, logger: Logger(label: "test"), askPassword: { _ in nil }, makeService: { _ in service })
        #expect(await session.run("/login alice pw") == .succeeded)
        #expect(await session.run("/chat bob") == .succeeded)
        _ = sink.takeLines()
        // bob answers before alice's send has its ack: his line happened after hers.
        service.state.withLock { state in
            state.whileSending = {
                service.state.withLock { $0.whileSending = nil }
                service.emit(.messaging(.message(StoredMessage.incoming(id: "r1", from: "bob", to: "alice", body: "fine, you?", sentAt: Fixtures.now))))
                // Until the session has taken bob's line: held back, or (wrongly) shown.
                for _ in 0..<1000 {
                    if await session.heldEvents?.isEmpty == false || sink.lines.contains(where: { $0.hasSuffix("fine, you?") }) { break }
                    try? await Task.sleep(for: .milliseconds(10))
                }
            }
        }
        #expect(await session.run("how are you?") == .succeeded)
        let shown = sink.takeLines()
        let mine = try #require(shown.firstIndex { $0.hasSuffix("<alice> how are you?") }, "\(shown)")
        let his = try #require(shown.firstIndex { $0.hasSuffix("<bob> fine, you?") }, "\(shown)")
        #expect(mine < his, "\(shown)")
    }

    @Test func keysGoThroughTheConversationsInFriendsOrder() async {
        await loggedIn()
        await session.switchConversation(.number(2))
        #expect(await session.conversation == "carol")
        await session.switchConversation(.next)
        #expect(await session.conversation == "dave")
        await session.switchConversation(.next)
        #expect(await session.conversation == "bob", "round the list")
        await session.switchConversation(.previous)
        #expect(await session.conversation == "dave")
        _ = sink.takeLines()
        await session.switchConversation(.number(9))
        #expect(sink.takeLines() == ["error: there is no conversation 9: you have 3"])
    }

    @Test func altAGoesToTheOldestUnread() async {
        await loggedIn()
        await session.switchConversation(.oldestUnread)
        #expect(sink.takeLines() == ["-!- no unread messages"])
        service.receive("later", from: "bob")
        service.receive("first", from: "dave", at: Fixtures.yesterday)
        #expect(await session.run("/wait message from=dave") == .succeeded)
        await session.switchConversation(.oldestUnread)
        #expect(await session.conversation == "dave")
        await session.switchConversation(.oldestUnread)
        #expect(await session.conversation == "bob")
    }

    @Test func theBellRingsForMessagesElsewhereAndSetChangesItForGood() async throws {
        await loggedIn()
        #expect(await session.run("/chat bob") == .succeeded)
        service.receive("here", from: "bob")
        service.receive("there", from: "carol")
        #expect(await session.run("/wait message from=carol") == .succeeded)
        #expect(sink.actions == [.bell, .notify(title: "p2pchat: carol", body: "there")], "only carol's message rang")

        _ = sink.takeLines()
        #expect(await session.run("/set") == .succeeded)
        #expect(
            sink.takeLines() == ["-!- bell = mentions", "-!- notify = mentions", "-!- aec = on", "-!- receipts = off", "-!- typing = off",
            "-!- keep-edits = off"])
        #expect(await session.run("/set bell off") == .succeeded)
        #expect(sink.takeLines() == ["-!- bell = off"])
        #expect(await session.run("/set notify all") == .succeeded)
        #expect(sink.takeLines() == ["-!- notify = all"])
        let saved = try String(contentsOf: dataRoot.appendingPathComponent("alice/settings"), encoding: .utf8)
        #expect(saved == "bell = off\nnotify = all\naec = on\nreceipts = off\ntyping = off\nkeep-edits = off\n")
        service.receive("again", from: "bob")
        #expect(await session.run("/wait message text=again") == .succeeded)
        #expect(sink.actions == [.bell, .notify(title: "p2pchat: carol", body: "there"), .notify(title: "p2pchat: bob", body: "again")],
            "no bell any more, and with notify all a notification also from the conversation")
        _ = sink.takeLines()
        #expect(await session.run("/set bell loud") == .usageError)
        #expect(sink.takeLines() == ["error: bell is one of off, mentions, all; usage: /set [NAME [VALUE]]"])
    }

    @Test("/set aec turns echo cancellation off and on for the calls that follow, and is kept for the next login")
    func echoCancellationSetting() async throws {
        await loggedIn()
        #expect(service.calls.echoCancellation == [true], "the login did not give the engine the setting")
        _ = sink.takeLines()
        #expect(await session.run("/set aec off") == .succeeded)
        #expect(sink.takeLines() == ["-!- aec = off"])
        #expect(service.calls.echoCancellation == [true, false])
        let saved = try String(contentsOf: dataRoot.appendingPathComponent("alice/settings"), encoding: .utf8)
        #expect(saved.contains("aec = off"))
        #expect(await session.run("/set aec maybe") == .usageError)
        #expect(sink.takeLines() == ["error: aec is on or off; usage: /set [NAME [VALUE]]"])
        #expect(service.calls.echoCancellation == [true, false])
    }

    @Test("/verify shows the safety number, confirmed marks the friend verified, and /friends shows it")
    func verifyingAFriend() async throws {
        await loggedIn()
        _ = sink.takeLines()
        #expect(await session.run("/verify bob") == .succeeded)
        let number = try await service.verification(of: "bob").safetyNumber.grouped
        #expect(sink.takeLines() == [
            "-!- safety number with bob (not verified):", "    " + number,
            "-!- read it to each other by voice or in person; if bob's is the same: /verify bob confirmed",
        ])
        #expect(await session.run("/verify bob confirmed") == .succeeded)
        #expect(sink.takeLines() == [
            "-!- safety number with bob (verified):", "    " + number, "-!- bob is verified",
        ])
        #expect(await session.run("/friends") == .succeeded)
        #expect(sink.takeLines().contains { $0.hasPrefix("    bob (") && $0.contains("verified") })

        #expect(await session.run("/verify bob maybe") == .usageError)
        #expect(sink.takeLines() == ["error: usage: /verify ID [confirmed]"])
        #expect(await session.run("/verify zed") == .failed)
        #expect(sink.takeLines() == ["error: zed is not your friend: send a request with /add zed"])
    }

    @Test func clearAndHelpKeys() async {
        #expect(await session.run("/clear") == .succeeded)
        #expect(sink.actions == [.clear])
        #expect(await session.run("/help keys") == .succeeded)
        let shown = sink.takeLines()
        #expect(shown.first == "-!- keys at the prompt:")
        #expect(shown.count == KeyBinding.all.count + 1)
    }
}
