import Testing

@testable import Shell

/// The interactive prompt's text for a session state.
@Suite struct InteractiveShellTests {
    @Test func thePromptShowsUserConversationAndUnread() {
        var state = ShellState()
        #expect(InteractiveShell.prompt(for: state, color: false) == "[p2pchat] ")
        state.user = "alice"
        #expect(InteractiveShell.prompt(for: state, color: false) == "[alice] ")
        state.conversation = "bob"
        state.activity = ["dave": Activity(unread: 1, level: .mention), "carol": Activity(unread: 3, level: .message)]
        #expect(InteractiveShell.prompt(for: state, color: false) == "[alice→bob +carol:3 +dave:1] ")
    }

    @Test("the prompt marks a verified conversation, and a friend's new key louder")
    func thePromptShowsVerification() {
        var state = ShellState(user: "alice")
        state.conversation = "bob"
        state.verified = ["bob"]
        #expect(InteractiveShell.prompt(for: state, color: false) == "[alice→bob✓] ")
        state.keyChanged = ["bob"]
        #expect(InteractiveShell.prompt(for: state, color: false) == "[alice→bob NEW KEY] ")
        #expect(InteractiveShell.prompt(for: state, color: true) == "[alice→bob \u{1B}[1;31mNEW KEY\u{1B}[0m] ")
        state.conversation = "carol"
        #expect(InteractiveShell.prompt(for: state, color: false) == "[alice→carol] ")
    }

    @Test func aMentionIsColouredAboveAMessage() {
        var state = ShellState(user: "alice")
        state.activity = ["carol": Activity(unread: 3, level: .message), "dave": Activity(unread: 1, level: .mention)]
        #expect(
            InteractiveShell.prompt(for: state, color: true)
                == "[alice \u{1B}[1;33m+carol:3\u{1B}[0m \u{1B}[1;35m+dave:1\u{1B}[0m] ")
    }

    @Test func tabCyclesIDsInTextAndCompletesCommandsAsFarAsTheyAgree() {
        var state = ShellState(user: "alice")
        state.friends = ["bob", "bert"]
        func completion(_ line: String) -> LineEditor.Completion {
            InteractiveShell.completion(for: CompletionContext(line: line, cursorOffset: line.unicodeScalars.count), in: state)
        }
        #expect(completion("b") == LineEditor.Completion(candidates: ["bert", "bob"], style: .cycle(suffix: ": ")))
        #expect(completion("hi b") == LineEditor.Completion(candidates: ["bert", "bob"], style: .cycle(suffix: " ")))
        #expect(completion("/msg b") == LineEditor.Completion(candidates: ["bert", "bob"]))
    }

    @Test func historyNeverKeepsAPassword() {
        #expect(InteractiveShell.historyForm(of: "/login alice s3cret word") == "/login alice")
        #expect(InteractiveShell.historyForm(of: "/LOGIN alice") == "/LOGIN alice")
        #expect(InteractiveShell.historyForm(of: "hello") == "hello")
    }
}
