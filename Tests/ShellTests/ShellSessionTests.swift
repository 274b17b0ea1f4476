import ChatIdentity
import ChatWire
import Foundation
import Logging
import Synchronization
import Testing

@testable import ChatEngine
@testable import Shell

/// ``ShellSession`` against ``FakeChatService``: what a user sees for what they type and what happens.
@Suite struct ShellSessionTests {
    static let options = ShellOptions(
        dataRoot: URL(fileURLWithPath: "/nonexistent"), locatorHost: "127.0.0.1", locatorPort: 8000,
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
        service.emit(.presence(user: "bob", online: true))
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
