import ChatEngine
import Shell
import Testing

@Suite struct EventMatcherTests {
    private func matches(_ line: String, _ output: ShellOutput) throws -> Bool {
        guard case .command(let command) = CommandLineParser.parse(line, currentConversation: nil),
            let condition = command.arguments as? WaitCondition
        else {
            Issue.record("\(line) did not parse")
            return false
        }
        return EventMatcher(condition).matches(output)
    }

    @Test func eventNameAndFields() throws {
        let message = ShellOutput.event(.messaging(.message(Fixtures.incoming("hello world"))))
        #expect(try matches("/wait message", message))
        #expect(try matches("/wait message from=bob", message))
        #expect(try matches("/wait message from=bob text=\"hello world\" timeout=3", message))
        #expect(try !matches("/wait message from=carol", message))
        #expect(try !matches("/wait message text=hello", message))
        #expect(try !matches("/wait presence", message))
    }

    @Test func booleansNumbersAndNull() throws {
        #expect(try matches("/wait presence id=bob online=true", .event(.session(.presence(user: "bob", online: true)))))
        #expect(try !matches("/wait presence online=true", .event(.session(.presence(user: "bob", online: false)))))
        #expect(try matches("/wait message delivery=null", .event(.messaging(.message(Fixtures.incoming("x"))))))
        #expect(try matches("/wait logged_in registered=false", .event(.session(.loggedIn(user: "alice", registered: false)))))
    }

    @Test func emptyValues() throws {
        #expect(try matches("/wait locator detail=", .event(.session(.locator(connected: true, detail: "")))))
        #expect(try !matches("/wait locator detail=\"\"", .event(.session(.locator(connected: true, detail: "up")))))
    }

    @Test func resultsMatchByTheirJSONToo() {
        let condition = WaitCondition(event: "status", fields: ["queued": "3", "user": "alice"])
        let status = ShellOutput.status(user: "alice", locatorConnected: true, peerPort: nil, friendsOnline: 0, friends: 0, queued: 3)
        #expect(EventMatcher(condition).matches(status))
        #expect(!EventMatcher(WaitCondition(event: "status", fields: ["missing": "x"])).matches(status))
    }

    @Test func commandErrorsAndEngineErrorsAreBothErrors() {
        let matcher = EventMatcher(WaitCondition(event: "error", fields: ["message": "boom"]))
        #expect(matcher.matches(.error("boom")))
        #expect(matcher.matches(.event(.session(.error("boom")))))
    }
}
