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

extension PasswordWorkTests {
    @Test("a storm of honest logins from one address all run, past the per-address cap that holds registrations back")
    func loginStormFromOneAddress() async throws {
        let work = PasswordWork(workers: 1, maxWaitingPerAddress: 3)
        let gate = DispatchSemaphore(value: 0)
        let order = Order()
        let first = Task { try await work.run(.login, for: "NAT") { gate.wait(); order.ran("0") } }
        #expect(await eventually { work.running == 1 })
        let storm = (1...200).map { index in Task { try await work.run(.login, for: "NAT") { order.ran("\(index)") } } }
        #expect(await eventually { work.waiting(in: .login) == 200 })
        // Registrations from that address are still capped.
        let registrations = (1...3).map { _ in Task { try await work.run(.registration, for: "NAT") {} } }
        #expect(await eventually { work.waiting(in: .registration) == 3 })
        await #expect(throws: PasswordWork.Busy.self) {
            try await work.run(.registration, for: "NAT") {}
        }
        gate.signal()
        try await first.value
        for job in storm + registrations { try await job.value }
        #expect(order.all.count == 201)
    }
}
