/// When each of a benchmark's locator clients logged in, in order; and waiting until every client
/// has logged in `n` times.
actor Arrivals {
    private var logins: [[ContinuousClock.Instant]]
    private var waiter: (count: Int, continuation: CheckedContinuation<Void, Never>)?

    init(clients: Int) {
        logins = Array(repeating: [], count: clients)
    }

    func connected(_ client: Int) {
        logins[client].append(.now)
        if let waiter, logins.allSatisfy({ $0.count >= waiter.count }) {
            self.waiter = nil
            waiter.continuation.resume()
        }
    }

    /// Each client's `n`th login, once every client has made it.
    @discardableResult
    func waitForAll(logins count: Int) async -> [ContinuousClock.Instant] {
        if !logins.allSatisfy({ $0.count >= count }) {
            await withCheckedContinuation { waiter = (count, $0) }
        }
        return logins.map { $0[count - 1] }
    }
}
