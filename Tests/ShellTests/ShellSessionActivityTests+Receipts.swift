import ChatEngine
import ChatWire
import Foundation
import Testing

@testable import Shell

/// Receipts and typing as the shell shows them: settings handed to the engine and kept, typing in
/// the prompt (never a line), keys told to the engine only for the friend in front.
extension ShellSessionActivityTests {
    @Test("/set receipts and /set typing are off until turned on, reach the engine, and are kept")
    func receiptSettings() async throws {
        await loggedIn()
        #expect(service.calls.sharedReceipts == [ReceiptChoices()], "the login did not give the engine the settings")
        #expect(await session.run("/set receipts on") == .succeeded)
        #expect(await session.run("/set typing on") == .succeeded)
        #expect(sink.takeLines() == ["-!- receipts = on", "-!- typing = on"])
        #expect(service.calls.sharedReceipts.last == ReceiptChoices(receipts: true, typing: true))
        let saved = try String(contentsOf: dataRoot.appendingPathComponent("alice/settings"), encoding: .utf8)
        #expect(saved.contains("receipts = on\ntyping = on\n"))
        #expect(ShellSettings(fileText: saved).readReceipts && ShellSettings(fileText: saved).typing)
        #expect(await session.run("/set typing sometimes") == .usageError)
        #expect(sink.takeLines() == ["error: typing is on or off; usage: /set [NAME [VALUE]]"])
    }

    @Test("a friend typing shows in the prompt while they are in front, never as a line, and stops with their message")
    func typingInThePrompt() async throws {
        await loggedIn()
        #expect(await session.run("/chat bob") == .succeeded)
        _ = sink.takeLines()
        service.emit(.receipts(.typing(user: "bob", active: true)))
        #expect(await session.run("/wait typing from=bob") == .succeeded)
        var state = await session.state
        #expect(InteractiveShell.prompt(for: state, color: false) == "[alice→bob …] ")
        service.receive("hi", from: "bob")
        #expect(await session.run("/wait message from=bob") == .succeeded)
        state = await session.state
        #expect(InteractiveShell.prompt(for: state, color: false) == "[alice→bob] ", "bob's message ends his typing")
        service.emit(.receipts(.typing(user: "carol", active: true)))
        #expect(await session.run("/wait typing from=carol") == .succeeded)
        state = await session.state
        #expect(InteractiveShell.prompt(for: state, color: false) == "[alice→bob] ", "carol is not in front")
        service.emit(.receipts(.read(by: "bob", upTo: "m-out")))
        #expect(await session.run("/wait read from=bob") == .succeeded)
        #expect(sink.takeLines().allSatisfy { !$0.contains("typing") && !$0.contains("read") }, "no line for either")
    }

    @Test("keys in a friend's query are told to the engine when typing is on; commands, groups and no query are not")
    func keysToldToTheEngine() async throws {
        await loggedIn()
        await session.lineEdited("hello")
        #expect(service.calls.typing.isEmpty, "typing is off, and there is no query")
        #expect(await session.run("/set typing on") == .succeeded)
        await session.lineEdited("hello")
        #expect(service.calls.typing.isEmpty, "no query in front")
        #expect(await session.run("/chat bob") == .succeeded)
        await session.lineEdited("h")
        await session.lineEdited("/me w")
        await session.lineEdited("/help")
        await session.lineEdited("")
        #expect(service.calls.typing.map(\.peer) == ["bob", "bob", "bob", "bob"])
        #expect(service.calls.typing.map(\.active) == [true, true, false, false])
    }
}
