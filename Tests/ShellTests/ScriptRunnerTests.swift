import Foundation
import Logging
import Testing

@testable import Shell

/// ``ScriptRunner`` over given lines and a fake engine: order, exit status, and the end of a script.
@Suite struct ScriptRunnerTests {
    let sink = RecordingSink()
    let service = FakeChatService(user: "alice", friends: ["bob"])

    func run(_ lines: [String]) async -> Int32 {
        let service = service
        let session = ShellSession(
            options: ShellSessionTests.options, sink: sink, logger: Logger(label: "test"), askPassword: { _ in nil },
            makeService: { _ in service })
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        for line in lines { continuation.yield(line) }
        continuation.finish()
        return await ScriptRunner.run(stream, in: session)
    }

    @Test func everyCommandSucceedsExitsZeroAndLogsOut() async {
        let status = await run(["/login alice pw", "/msg bob one", "/msg bob two", ""])
        #expect(status == 0)
        #expect(service.calls.sent.map(\.text) == ["one", "two"])
        #expect(service.calls.drained == 1, "what is queued gets its chance to go out")
        #expect(service.calls.closed == 1)
    }

    @Test func aFailedCommandExitsOneAndTheScriptGoesOn() async {
        let status = await run(["/login alice pw", "/msg dave hi", "/msg bob still sent"])
        #expect(status == 1)
        #expect(service.calls.sent.map(\.text) == ["still sent"])
        #expect(sink.lines.contains("error: dave is not your friend: send a request with /add dave"))
    }

    @Test func aLineThatIsNoCommandExitsTwoEvenAfterFailures() async {
        #expect(await run(["/friends", "/frends"]) == 2)
        #expect(sink.lines.last == "error: unknown command /frends; did you mean /friends?")
    }

    @Test func quitEndsTheScript() async {
        let status = await run(["/login alice pw", "/quit", "/msg bob never"])
        #expect(status == 0)
        #expect(service.calls.sent.isEmpty)
        #expect(service.calls.closed == 1)
    }
}
