import ChatEngine
import Testing

@testable import Shell

extension ShellSessionTests {
    @Test func meSendsAnActionToTheConversationShownAsAStarLine() async throws {
        try await loggedIn()
        #expect(await session.run("/me waves") == .failed)
        #expect(sink.takeLines() == ["error: /me needs a conversation: /chat ID first, then /me waves"])
        #expect(await session.run("/chat bob") == .succeeded)
        _ = sink.takeLines()
        #expect(await session.run("/me waves at everyone") == .succeeded)
        #expect(service.calls.sent.map(\.text) == ["waves at everyone"])
        #expect(service.calls.sent.map(\.action) == [true])
        let shown = sink.takeLines()
        #expect(shown.count == 1 && shown[0].hasSuffix("] * alice waves at everyone"), "\(shown)")
    }

    @Test func awayMarksThePromptAndBackClearsIt() async throws {
        try await loggedIn()
        #expect(await session.run("/away lunch, back at two") == .succeeded)
        #expect(service.calls.away == ["lunch, back at two"])
        #expect(await session.state.away)
        #expect(InteractiveShell.prompt(for: await session.state, color: false).hasPrefix("[alice (away)"))
        #expect(sink.takeLines() == ["-!- you are marked away: lunch, back at two"])
        #expect(await session.run("/away") == .succeeded)
        #expect(service.calls.away == ["lunch, back at two", nil])
        #expect(await !session.state.away)
        #expect(sink.takeLines() == ["-!- you are no longer marked away"])
    }

    @Test func writingToAnAwayFriendSaysSoOnceUntilTheirStatusChanges() async throws {
        try await loggedIn()
        service.emit(.away(.changed(user: "bob", reason: "in a meeting")))
        #expect(await session.run("/wait away id=bob") == .succeeded)
        _ = sink.takeLines()
        #expect(await session.run("/msg bob are you there?") == .succeeded)
        #expect(await session.run("/msg bob ping") == .succeeded)
        let notices = sink.takeLines().filter { $0.contains("is away") }
        #expect(notices == ["-!- bob is away: in a meeting"])
        service.emit(.away(.changed(user: "bob", reason: nil)))
        #expect(await session.run("/wait away id=bob reason=null") == .succeeded)
        #expect(await session.run("/msg bob welcome back") == .succeeded)
        #expect(!sink.takeLines().contains { $0.contains("is away") })
    }
}
