import Dispatch
import Synchronization
import Testing

@testable import Locator

/// The order in which waiting password checks run when the workers are busy.
@Suite("PasswordWork", .timeLimit(.minutes(1)))
struct PasswordWorkTests {
    /// The names of the jobs, in the order they ran.
    final class Order: Sendable {
        private let names = Mutex<[String]>([])
        var all: [String] { names.withLock { $0 } }
        func ran(_ name: String) { names.withLock { $0.append(name) } }
    }

    @Test("with the one worker busy, a login goes before registrations, addresses take turns, and a full share is refused at once")
    func fairOrder() async throws {
        let work = PasswordWork(workers: 1, maxWaitingPerAddress: 3)
        let gate = DispatchSemaphore(value: 0)
        let order = Order()
        var jobs: [Task<Void, any Error>] = []
        jobs.append(Task { try await work.run(.registration, for: "A") { gate.wait(); order.ran("A0") } })
        #expect(await eventually { work.running == 1 })
        let waiting: [(String, PasswordWork.Lane, String)] = [
            ("A1", .registration, "A"), ("A2", .registration, "A"), ("A3", .registration, "A"),
            ("B1", .registration, "B"), ("C1", .login, "C"),
        ]
        for (index, (name, lane, host)) in waiting.enumerated() {
            jobs.append(Task { try await work.run(lane, for: host) { order.ran(name) } })
            // One at a time, so that the order of arrival is known.
            #expect(await eventually { work.waiting(in: .registration) + work.waiting(in: .login) == index + 1 })
        }
        await #expect(throws: PasswordWork.Busy.self) {
            try await work.run(.registration, for: "A") {}
        }
        gate.signal()
        for job in jobs { try await job.value }
        #expect(order.all == ["A0", "C1", "A1", "B1", "A2", "A3"])
    }
}
