import NIOCore
import NIOPosix
import Synchronization

/// Runs password hashing on a bounded number of threads, shared fairly.
///
/// Each scrypt takes about 32 MiB and tens of milliseconds of a core. Run as they come, a flood
/// of registrations from many addresses took both cores and honest logins waited seconds. Here
/// at most `workers` hashes run at once; the rest wait in two lanes, logins of existing accounts
/// before registrations, and within a lane the waiting addresses take turns (one job each, round
/// robin), so one address or one flood cannot push the others back. An address may have only so
/// many registrations waiting, and the queue as a whole is capped: beyond, the request is refused
/// as busy. Logins of existing accounts have no cap per address: the clients of a replica that
/// died, many behind one NAT, all log in again at once, and each must get in rather than `ERR
/// busy`. Their turns keep them from pushing other addresses back, an address holds one login
/// per connection it may open, and a guesser's failures bar it in `LoginThrottle` before hashing.
final class PasswordWork: Sendable {
    enum Lane: Int, CaseIterable {
        /// Checking the password of an existing account: goes first.
        case login
        /// Hashing the password of a new account.
        case registration
    }

    /// The queue (or this address's share of it) is full.
    struct Busy: Error {}

    private enum Admission {
        case start
        case wait
        case refuse
    }

    typealias Job = @Sendable () -> Void

    /// Jobs of one lane, per address, and the order in which the addresses take turns.
    private struct Turns {
        var jobs: [String: CircularBuffer<Job>] = [:]
        var order = CircularBuffer<String>()
        var count = 0

        mutating func append(_ job: @escaping Job, for host: String) {
            if jobs[host] == nil { order.append(host) }
            jobs[host, default: []].append(job)
            count += 1
        }

        mutating func next() -> Job? {
            guard let host = order.popFirst(), var waiting = jobs[host] else { return nil }
            let job = waiting.removeFirst()
            if waiting.isEmpty {
                jobs[host] = nil
            } else {
                jobs[host] = waiting
                order.append(host)
            }
            count -= 1
            return job
        }

        func waiting(for host: String) -> Int { jobs[host]?.count ?? 0 }
    }

    private struct State {
        var running = 0
        var lanes = Lane.allCases.map { _ in Turns() }

        var waiting: Int { lanes.reduce(0) { $0 + $1.count } }
    }

    let workers: Int
    let maxWaitingPerAddress: Int
    let maxWaiting: Int
    private let pool: NIOThreadPool
    private let state = Mutex(State())

    init(workers: Int, maxWaitingPerAddress: Int = 64, maxWaiting: Int = 4096, pool: NIOThreadPool = .singleton) {
        self.workers = max(1, workers)
        self.maxWaitingPerAddress = max(1, maxWaitingPerAddress)
        self.maxWaiting = max(1, maxWaiting)
        self.pool = pool
    }

    /// Runs `work` on a worker when its turn comes; throws `Busy` at once when it cannot wait.
    func run<Value: Sendable>(
        _ lane: Lane, for host: String, _ work: @escaping @Sendable () throws -> Value
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let job: Job = { continuation.resume(with: Result { try work() }) }
            let admission: Admission = state.withLock { state in
                if state.running < workers {
                    state.running += 1
                    return .start
                }
                guard lane == .login || state.lanes[lane.rawValue].waiting(for: host) < maxWaitingPerAddress,
                      state.waiting < maxWaiting
                else {
                    return .refuse
                }
                state.lanes[lane.rawValue].append(job, for: host)
                return .wait
            }
            switch admission {
            case .start: start(job)
            case .wait: break
            case .refuse: continuation.resume(throwing: Busy())
            }
        }
    }

    /// How many jobs run now.
    var running: Int {
        state.withLock { $0.running }
    }

    /// How many jobs wait in `lane` now.
    func waiting(in lane: Lane) -> Int {
        state.withLock { $0.lanes[lane.rawValue].count }
    }

    /// A worker runs its job, then the next waiting one, until none waits.
    private func start(_ first: @escaping Job) {
        pool.submit { [self] _ in
            var job: Job? = first
            while let current = job {
                current()
                job = state.withLock { state in
                    for lane in Lane.allCases {
                        if let next = state.lanes[lane.rawValue].next() { return next }
                    }
                    state.running -= 1
                    return nil
                }
            }
        }
    }
}
