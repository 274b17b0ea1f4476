import Shell
import Testing

@Suite struct WaitConditionTests {
    @Test func defaults() throws {
        let condition = try WaitCondition(arguments: ["presence"])
        #expect(condition == WaitCondition(event: "presence", fields: [:], timeout: .seconds(30)))
    }

    @Test func fieldsAndTimeout() throws {
        let condition = try WaitCondition(arguments: ["message", "from=bob", "text=hello world", "timeout=2.5"])
        #expect(condition.event == "message")
        #expect(condition.fields == ["from": "bob", "text": "hello world"])
        #expect(condition.timeout == .milliseconds(2500))
    }

    @Test func valuesSplitAtTheFirstEqualsSign() throws {
        let condition = try WaitCondition(arguments: ["message", "text=a=b", "from="])
        #expect(condition.fields == ["text": "a=b", "from": ""])
    }

    @Test func fromAParsedLine() throws {
        guard case .command(let command) = CommandLineParser.parse(
            "/wait message text=\"say \\\"hi\\\" now\" timeout=1", currentConversation: nil)
        else {
            Issue.record("not a command")
            return
        }
        #expect(command.spec == .wait)
        let condition = try #require(command.arguments as? WaitCondition)
        #expect(condition.fields == ["text": "say \"hi\" now"])
        #expect(condition.timeout == .seconds(1))
    }

    @Test(arguments: [
        ([], "usage: /wait EVENT [KEY=VALUE ...] [timeout=SECONDS]"),
        (["sent"], "unknown event 'sent': one of logged_in, logged_out, locator, locator_moved, presence, path_changed, error, security_warning, friend_request, friend_added, friend_removed, message, delivered, edited, deleted, away, file_offer, file_progress, file_received, file_sent, file_failed, file_restarted, file_cancelled, group_created, group_message, group_member_joined, group_member_left, group_updated, group_edited, group_deleted, call_incoming, call_ringing, call_started, call_ended, call_stats, read, typing"),
        (["presence", "=x"], "'=x' is not KEY=VALUE; usage: /wait EVENT [KEY=VALUE ...] [timeout=SECONDS]"),
        (["presence", "user=bob"], "presence has no field 'user': its fields are id, online, path"),
        (["presence", "timeout=1", "timeout=2"], "timeout is given twice; usage: /wait EVENT [KEY=VALUE ...] [timeout=SECONDS]"),
        (["presence", "timeout="], "timeout= is not a number of seconds above 0 and at most 86400; usage: /wait EVENT [KEY=VALUE ...] [timeout=SECONDS]"),
    ])
    func errors(arguments: [String], message: String) {
        #expect(throws: CommandLineError(message)) { try WaitCondition(arguments: arguments) }
    }
}
