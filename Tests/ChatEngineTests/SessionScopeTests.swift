@testable import ChatEngine
import Synchronization
import Testing

/// The login session's task tree on its own: what ending it does to the work in it.
@Suite struct SessionScopeTests {
    @Test func endingTheTreeCancelsItsWorkAndWaitsForIt() async {
        let scope = SessionScope()
        let tree = Task { await scope.run() }
        let sawCancel = Mutex(false)
        let started = AsyncStream.makeStream(of: Void.self)
        let work = scope.start {
            started.continuation.yield()
            // Would sleep for an hour unless cancelled.
            try? await Task.sleep(for: .seconds(3600))
            sawCancel.withLock { $0 = Task.isCancelled }
        }
        for await _ in started.stream { break }
        #expect(scope.runningCount == 1)
        scope.end()
        await tree.value
        #expect(work.isFinished)
        #expect(sawCancel.withLock { $0 })
        #expect(scope.runningCount == 0)
    }

    @Test func oneWorkIsCancelledAloneAndTheRestGoesOn() async {
        let scope = SessionScope()
        let tree = Task { await scope.run() }
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        let sleeper = scope.start {
            try? await Task.sleep(for: .seconds(3600))
            continuation.yield("sleeper ended")
        }
        sleeper.cancel()
        await sleeper.finished()
        scope.start { continuation.yield("second ran") }
        var seen: [String] = []
        for await line in stream {
            seen.append(line)
            if seen.count == 2 { break }
        }
        #expect(seen == ["sleeper ended", "second ran"])
        scope.end()
        await tree.value
    }

    @Test func workAskedOfAnEndedSessionNeverRunsAndNobodyWaitsForIt() async {
        let scope = SessionScope()
        let tree = Task { await scope.run() }
        scope.end()
        await tree.value
        let ran = Mutex(false)
        let late = scope.start { ran.withLock { $0 = true } }
        await late.finished()
        #expect(late.isFinished)
        #expect(!ran.withLock { $0 })
        #expect(scope.runningCount == 0)
    }

    @Test func workOfTheSessionKnowsItsScope() async {
        let scope = SessionScope()
        let tree = Task { await scope.run() }
        let inside = Mutex(false)
        await scope.start { inside.withLock { $0 = SessionScope.current === scope } }.finished()
        #expect(inside.withLock { $0 })
        #expect(SessionScope.current == nil)
        scope.end()
        await tree.value
    }
}
