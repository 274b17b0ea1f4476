import ChatEngine
import Foundation
import Logging
import TestSupport

/// One user's engine on 127.0.0.1, with the events it published so far, for assertions.
final class TestUser: Sendable {
    let engine: ChatEngine
    let events: EventLog

    init(_ user: String, locator: TestSupport.TestLocator, root: URL, configure: (inout EngineConfiguration) -> Void = { _ in }) throws {
        var configuration = EngineConfiguration(
            user: user, dataDirectory: root.appendingPathComponent(user), locatorHost: "127.0.0.1",
            locatorPort: locator.port, listenHost: "127.0.0.1", ackWait: .seconds(3), retryInterval: .seconds(1))
        configure(&configuration)
        engine = try ChatEngine(configuration: configuration, logger: TestUser.logger(user))
        events = EventLog(engine.events)
    }

    static func logger(_ label: String) -> Logger {
        var logger = Logger(label: label) { label -> any LogHandler in
            ProcessInfo.processInfo.environment["P2PCHAT_TEST_LOG"] != nil
                ? StreamLogHandler.standardError(label: label) : SwiftLogNoOpLogHandler()
        }
        logger.logLevel = .debug
        return logger
    }
}

/// Collects an engine's events and lets a test wait for one.
actor EventLog {
    private struct Waiter {
        var id: Int
        var predicate: @Sendable (EngineEvent) -> Bool
        var continuation: CheckedContinuation<EngineEvent?, Never>
    }

    private(set) var all: [EngineEvent] = []
    private var waiters: [Waiter] = []
    private var nextWaiter = 0

    init(_ stream: AsyncStream<EngineEvent>) {
        Task { [weak self] in
            for await event in stream { await self?.append(event) }
        }
    }

    private func append(_ event: EngineEvent) {
        all.append(event)
        let (matched, remaining) = (waiters.filter { $0.predicate(event) }, waiters.filter { !$0.predicate(event) })
        waiters = remaining
        for waiter in matched { waiter.continuation.resume(returning: event) }
    }

    /// The first event so far or within `timeout` that satisfies `predicate`, or nil.
    func first(within timeout: Duration = .seconds(10), where predicate: @escaping @Sendable (EngineEvent) -> Bool) async -> EngineEvent? {
        if let event = all.first(where: predicate) { return event }
        let id = nextWaiter
        nextWaiter += 1
        return await withCheckedContinuation { continuation in
            waiters.append(Waiter(id: id, predicate: predicate, continuation: continuation))
            Task {
                try? await Task.sleep(for: timeout)
                self.expire(id)
            }
        }
    }

    private func expire(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(returning: nil)
    }

    func count(where predicate: (EngineEvent) -> Bool) -> Int {
        all.filter(predicate).count
    }
}
