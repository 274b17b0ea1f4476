/// Lines benchmark clients up: each connects and logs in when its turn comes (one at a time,
/// since a first login hashes its password with scrypt, which takes tens of MiB, and a connection
/// opened long before its first line would be closed), and the clock starts when the last has
/// logged in.
actor StartLine {
    private var clients: Int
    private let duration: Duration
    private var loginInProgress = false
    private var waitingToLogIn: [CheckedContinuation<Void, Never>] = []
    private var ready: [CheckedContinuation<ContinuousClock.Instant, Never>] = []
    private(set) var start: ContinuousClock.Instant?

    init(clients: Int, duration: Duration) {
        self.clients = clients
        self.duration = duration
    }

    /// Waits for the turn to log in; `loggedIn()` ends it.
    func turnToLogIn() async {
        guard loginInProgress else {
            loginInProgress = true
            return
        }
        await withCheckedContinuation { waitingToLogIn.append($0) }
    }

    func loggedIn() {
        if waitingToLogIn.isEmpty {
            loginInProgress = false
        } else {
            waitingToLogIn.removeFirst().resume()
        }
    }

    /// Waits until every client is ready; returns when the measurement ends.
    func readyToGo() async -> ContinuousClock.Instant {
        await withCheckedContinuation { continuation in
            ready.append(continuation)
            startIfAllReady()
        }
    }

    /// A client that failed before it was ready: the others do not wait for it.
    func gaveUp() {
        clients -= 1
        startIfAllReady()
    }

    private func startIfAllReady() {
        guard !ready.isEmpty, ready.count == clients else { return }
        let now = ContinuousClock.now
        start = now
        for waiting in ready { waiting.resume(returning: now + duration) }
        ready = []
    }
}
