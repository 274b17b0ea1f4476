import Synchronization

/// When the database last answered a request of this replica. A request that waits for a pooled
/// connection behind many others (a reconnect storm) is not late while the others keep being
/// answered; one that waits while nothing is answered (the database is down) is.
final class StoreProgress: Sendable {
    private let base = ContinuousClock.now
    /// Nanoseconds after `base` of the last answer; `Int64.min` before the first.
    private let lastAnswerNanoseconds = Atomic<Int64>(.min)

    func noteAnswer() {
        let elapsed = ContinuousClock.now - base
        let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        lastAnswerNanoseconds.max(nanoseconds, ordering: .relaxed)
    }

    var lastAnswer: ContinuousClock.Instant? {
        let nanoseconds = lastAnswerNanoseconds.load(ordering: .relaxed)
        guard nanoseconds != .min else { return nil }
        return base + .nanoseconds(nanoseconds)
    }
}
