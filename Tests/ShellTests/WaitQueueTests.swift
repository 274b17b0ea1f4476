import ChatEngine
import Testing

@testable import Shell

@Suite struct WaitQueueTests {
    static let presence = ShellOutput.event(.session(.presence(user: "bob", online: true)))
    static let message = ShellOutput.info("unrelated")

    static func condition(_ arguments: String...) throws -> WaitCondition {
        try WaitCondition(arguments: arguments)
    }

    /// A timeout that passes at once, so waits that find nothing end without delay.
    static let noTime: WaitQueue.Sleep = { _ in }

    @Test func anEventThatCameFirstCounts() async throws {
        let queue = WaitQueue(sleep: Self.noTime)
        await queue.append(Self.message)
        await queue.append(Self.presence)
        #expect(await queue.wait(for: try Self.condition("presence", "id=bob")) == Self.presence)
    }

    @Test func eachEventSatisfiesOneWait() async throws {
        let queue = WaitQueue(sleep: Self.noTime)
        await queue.append(Self.presence)
        #expect(await queue.wait(for: try Self.condition("presence")) == Self.presence)
        #expect(await queue.wait(for: try Self.condition("presence")) == nil, "the event was used up")
    }

    @Test func fieldsMustMatch() async throws {
        let queue = WaitQueue(sleep: Self.noTime)
        await queue.append(Self.presence)
        #expect(await queue.wait(for: try Self.condition("presence", "id=carol")) == nil)
        #expect(await queue.wait(for: try Self.condition("presence", "online=true")) == Self.presence)
    }

    @Test func aWaitEndsWhenItsEventComesAndItsTimerWithIt() async throws {
        let (timer, timerChanged) = AsyncStream.makeStream(of: String.self)
        let queue = WaitQueue { duration in
            timerChanged.yield("started")
            do {
                try await Task.sleep(for: duration)
                timerChanged.yield("expired")
            } catch {
                timerChanged.yield("cancelled")
                throw error
            }
        }
        let condition = try Self.condition("presence", "timeout=3600")
        async let waited = queue.wait(for: condition)
        var changes = timer.makeAsyncIterator()
        // The timer starts once the wait is registered; outputs from now on reach it.
        #expect(await changes.next() == "started")
        for _ in 0..<3 { await queue.append(Self.message) }
        await queue.append(Self.presence)
        #expect(await waited == Self.presence)
        #expect(await changes.next() == "cancelled")
    }

    @Test func aCancelledWaitEnds() async throws {
        let queue = WaitQueue()
        let waiting = Task { await queue.wait(for: try Self.condition("presence", "timeout=3600")) }
        waiting.cancel()
        #expect(try await waiting.value == nil)
    }

    @Test func theOldestOutputsAreForgottenBeyondCapacity() async throws {
        let queue = WaitQueue(capacity: 2, sleep: Self.noTime)
        await queue.append(Self.presence)
        await queue.append(Self.message)
        await queue.append(Self.message)
        #expect(await queue.wait(for: try Self.condition("presence")) == nil)
    }
}
