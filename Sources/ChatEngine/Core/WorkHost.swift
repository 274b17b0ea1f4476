/// Where long-running work is started: a login session's tree (`SessionScope`), or, for what also
/// runs outside any session (a locator client in a benchmark or a tool), tasks of its own.
///
/// The handle is the same either way, so the code that starts the work neither knows nor cares
/// whose it is: it cancels the work or waits for it through `SessionWork`.
protocol WorkHost: Sendable {
    /// Starts `body`. After the host has ended, the body never runs and the handle is finished.
    @discardableResult
    func start(_ body: @escaping @Sendable () async -> Void) -> SessionWork
}

extension SessionScope: WorkHost {}

/// Work outside any session: each body is a task of its own, ended by `cancel()` on its handle.
struct OwnTasks: WorkHost {
    @discardableResult
    func start(_ body: @escaping @Sendable () async -> Void) -> SessionWork {
        let work = SessionWork()
        Task { await work.run(body) }
        return work
    }
}
