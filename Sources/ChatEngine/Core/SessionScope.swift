import Synchronization

/// The task tree of one login session: everything the session does in the background runs as a
/// child task of `run()`, so ending the session ends all of it, and `run()` returns only when the
/// last piece has stopped (in the manner of swift-service-lifecycle's `ServiceGroup`).
///
/// The core makes one per login and runs it for as long as the session lives; each part gets it in
/// `sessionStarted` and starts its long-running work (flushes, timers, announcements, call media)
/// with `start`, instead of keeping `Task {}`s of its own that must be cancelled by hand. After
/// `end()`, `start` runs nothing: work asked of a session that is over is dropped.
final class SessionScope: Sendable {
    typealias Body = @Sendable () async -> Void

    private let requests: AsyncStream<(SessionWork, Body)>
    private let requestSink: AsyncStream<(SessionWork, Body)>.Continuation
    /// Pieces of work running now, for tests that check that a logout leaves nothing behind.
    private let running = Atomic<Int>(0)

    init() {
        (requests, requestSink) = AsyncStream.makeStream(of: (SessionWork, Body).self)
    }

    /// The scope whose work the current task is, if any: a session's own work that ends the
    /// session (a fatal locator failure logs out) cannot wait for the tree it is part of.
    @TaskLocal static var current: SessionScope?

    /// How many pieces of work are running in the tree now.
    var runningCount: Int { running.load(ordering: .acquiring) }

    /// Starts `body` as a child of the session's tree. The returned handle cancels it alone, or
    /// waits for it; the session's end cancels it in any case.
    @discardableResult
    func start(_ body: @escaping Body) -> SessionWork {
        let work = SessionWork()
        running.add(1, ordering: .relaxed)
        if case .terminated = requestSink.yield((work, body)) {
            running.subtract(1, ordering: .relaxed)
            work.markFinished()
        }
        return work
    }

    /// Runs the tree until `end()` (or until the calling task is cancelled): each piece of work is
    /// a child task here. Returns when every one of them has ended.
    func run() async {
        // Children inherit it: work of the session can tell that it is (see `current`).
        await Self.$current.withValue(self) { await runChildren() }
    }

    private func runChildren() async {
        await withDiscardingTaskGroup { group in
            for await (work, body) in requests {
                group.addTask {
                    await work.run(body)
                    self.running.subtract(1, ordering: .releasing)
                }
            }
            // The session is over: what still runs is cancelled, and awaited by the group.
            group.cancelAll()
        }
        // Work asked for after the stream ended never ran; its waiters must not wait forever.
        for await (work, _) in requests {
            running.subtract(1, ordering: .relaxed)
            work.markFinished()
        }
    }

    /// Ends the session's tree: nothing new starts, and what runs is cancelled. `run()` returns
    /// once all of it has stopped.
    func end() {
        requestSink.finish()
    }
}
