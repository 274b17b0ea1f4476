import Dispatch

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// SIGTERM (systemd's stop, `kill`) and SIGINT (Ctrl-C), caught so that a long-running command
/// ends cleanly instead of dying in the middle of a write: `received` yields each one.
///
/// The signals are ignored from `init` on and read through dispatch sources, as
/// swift-service-lifecycle does: a handler of our own could only do async-signal-safe work.
/// Create it before saying that the service is ready, so that a stop never finds the default
/// action in place. Dropping it puts the default actions back.
final class TerminationSignals {
    static let handled: [Int32] = [SIGTERM, SIGINT]

    let received: AsyncStream<Int32>
    private let sources: [any DispatchSourceSignal]
    private let continuation: AsyncStream<Int32>.Continuation

    init() {
        let (received, continuation) = AsyncStream.makeStream(of: Int32.self)
        let queue = DispatchQueue(label: "p2pchat.termination-signals")
        self.received = received
        self.continuation = continuation
        sources = Self.handled.map { number in
            _ = signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
        for number in Self.handled { _ = signal(number, SIG_DFL) }
        continuation.finish()
    }

    /// Runs `serve` until it ends by itself, or until a signal arrives: then `stop` (which must make
    /// `serve` end) runs to its end too. The signal that stopped it, or nil when it ended by itself.
    func run(
        _ serve: @escaping @Sendable () async throws -> Void, stop: @escaping @Sendable (Int32) async -> Void
    ) async throws -> Int32? {
        let received = received, continuation = continuation
        return try await withThrowingTaskGroup(of: Int32?.self) { group in
            group.addTask {
                try await serve()
                return nil
            }
            group.addTask {
                for await number in received {
                    await stop(number)
                    return number
                }
                return nil
            }
            var stoppedBy: Int32?
            do {
                // No cancellation once the service has ended: a stop under way (a logout, a flush)
                // must finish, and a wait for a signal that will no longer matter just ends.
                while let result = try await group.next() {
                    stoppedBy = stoppedBy ?? result
                    continuation.finish()
                }
            } catch {
                continuation.finish()
                throw error
            }
            return stoppedBy
        }
    }

    /// The signal's name as `kill -l` prints it, for the line that says why the program stops.
    static func name(of number: Int32) -> String {
        switch number {
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        default: "signal \(number)"
        }
    }
}
