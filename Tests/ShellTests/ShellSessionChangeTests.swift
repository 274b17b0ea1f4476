import Foundation
import Logging
import Synchronization
import Testing

@testable import ChatEngine
@testable import Shell

/// `/edit`, `/delete` and `/reply` against ``FakeChatService``: what the engine is asked, and what the user sees.
@Suite struct ShellSessionChangeTests {
    let shell = ShellSessionTests()

    @Test func editDeleteAndReplyWorkInTheCurrentConversation() async throws {
        try await shell.loggedIn()
        let (session, sink, service) = (shell.session, shell.sink, shell.service)
        #expect(await session.run("/edit see you at eleven") == .usageError)
        #expect(sink.takeLines() == ["error: /edit works in a conversation: /chat ID first"])

        #expect(await session.run("/chat bob") == .succeeded)
        _ = sink.takeLines()
        #expect(await session.run("/edit see you at eleven") == .succeeded)
        #expect(await session.run("/edit 12 apples") == .failed)
        #expect(await session.run("/delete") == .succeeded)
        #expect(await session.run("/reply 1 fine by me") == .succeeded)
        #expect(await session.run("/reply 999 what?") == .failed)
        #expect(
            service.calls.changes == [
                "edit bob 1 see you at eleven", "edit bob 12 apples", "delete bob 1", "reply bob 1 fine by me", "reply bob 999 what?",
            ])
        let shown = sink.takeLines()
        #expect(shown.count == 5, "\(shown)")
        #expect(shown[0].hasSuffix("<alice> see you at eleven (edited)"), "\(shown)")
        #expect(shown[1] == "error: you have only 1 message with bob: N counts back from your last one, 1 to 1")
        #expect(shown[2].hasSuffix("<alice> [deleted]"), "\(shown)")
        #expect(shown[3].hasSuffix("<alice> [re bob: see you at ten] fine by me"), "\(shown)")
        #expect(shown[4] == "error: there is no message 999 with bob: /history bob shows the numbers")
    }

    @Test func badInputIsOneLine() async throws {
        try await shell.loggedIn()
        let (session, sink) = (shell.session, shell.sink)
        #expect(await session.run("/chat bob") == .succeeded)
        _ = sink.takeLines()
        #expect(await session.run("/edit 3") != .succeeded)
        #expect(await session.run("/delete two") != .succeeded)
        #expect(await session.run("/reply x hello") != .succeeded)
        #expect(await session.run("/reply 4") != .succeeded)
        #expect(
            sink.takeLines() == [
                "error: the new text is empty: /edit [N] TEXT, or /delete [N]",
                "error: usage: /delete [N]",
                "error: N is a message's number as /history shows it; usage: /reply N TEXT",
                "error: usage: /reply N TEXT",
            ])
        #expect(shell.service.calls.changes.isEmpty, "nothing reached the engine")
    }

    @Test func statusCountsRefusedChangesOnlyWhenThereAreSome() async throws {
        try await shell.loggedIn()
        #expect(await shell.session.run("/status") == .succeeded)
        #expect(shell.sink.takeLines().count == 1, "no line about refusals while there are none")
        shell.service.state.withLock { $0.refusedChanges = 2 }
        #expect(await shell.session.run("/status") == .succeeded)
        #expect(shell.sink.takeLines().last == "-!- refused 2 edits or deletes of messages by someone other than their author")
    }

    @Test func keepEditsIsASettingTheEngineIsTold() async throws {
        try await shell.loggedIn()
        var values = ShellSettings()
        #expect(values.keepEdits == false, "off unless the user asks")
        try values.set("keep-edits", to: "on")
        #expect(values.keepEdits && values.value(of: "keep-edits") == "on")
        #expect(ShellSettings(fileText: values.fileText).keepEdits)
        #expect(throws: CommandLineError.self) { try values.set("keep-edits", to: "maybe") }
        #expect(ShellSettings.values(of: "keep-edits") == ["on", "off"])
        #expect(shell.service.calls.keepEdits == [false], "told at login, before any change can arrive")
    }
}
