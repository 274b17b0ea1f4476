import Logging
import NIOCore
import Synchronization

/// Logs a notice that a client can provoke at will (a wrong password, a refused registration)
/// once per reason and address per interval, with a count, instead of once per request.
///
/// Written out one per request, such notices were 45 MB a minute from one address. The first of
/// a kind is logged at once; the repeats are counted, and every `interval` one line per reason
/// and address says how many there were. A kind that stays quiet for a whole interval is
/// forgotten, so its next occurrence is again logged at once.
final class NoticeSummary: Sendable {
    private struct Key: Hashable {
        var reason: String
        var host: String
    }

    private struct State {
        /// Repeats not yet logged, per kind seen in this interval.
        var repeats: [Key: Int] = [:]
        var intervalStarted: NIODeadline
    }

    let interval: TimeAmount
    private let logger: Logger
    private let state: Mutex<State>

    init(interval: TimeAmount, logger: Logger, now: NIODeadline = .now()) {
        self.interval = interval
        self.logger = logger
        self.state = Mutex(State(intervalStarted: now))
    }

    /// Logs `reason` for `host` now if it is the first of its kind in the interval; counts it otherwise.
    func notice(_ reason: String, host: String, metadata: Logger.Metadata = [:]) {
        let key = Key(reason: reason, host: host)
        let first = state.withLock { state in
            guard let repeats = state.repeats[key] else {
                state.repeats[key] = 0
                return true
            }
            state.repeats[key] = repeats + 1
            return false
        }
        guard first else { return }
        var metadata = metadata
        metadata["host"] = "\(host)"
        logger.notice("\(reason)", metadata: metadata)
    }

    /// At the end of an interval, one line per kind that repeated; called often by the sweep.
    func flush(now: NIODeadline = .now()) {
        let due: [(Key, Int)]? = state.withLock { state in
            guard now - state.intervalStarted >= interval else { return nil }
            state.intervalStarted = now
            let repeated = state.repeats.filter { $0.value > 0 }
            // A kind that repeated stays known (its next repeat is counted, not logged); a quiet one is forgotten.
            state.repeats = repeated.mapValues { _ in 0 }
            return repeated.map { ($0.key, $0.value) }
        }
        for (key, count) in due ?? [] {
            logger.notice(
                "\(key.reason) (repeated)",
                metadata: ["host": "\(key.host)", "count": "\(count)", "seconds": "\(Double(interval.nanoseconds) / 1e9)"])
        }
    }
}
