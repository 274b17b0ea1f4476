import NIOCore
import Synchronization

/// A token bucket per source address: `burst` at once, then `perSecond`.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: NIODeadline
    }

    private let perSecond: Double
    private let burst: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    init(perSecond: Double, burst: Double) {
        self.perSecond = max(perSecond, 0.000_001)
        self.burst = max(burst, 1)
    }

    /// Takes one token for `host`. Returns zero when one was there, otherwise how long until one
    /// is, up to `longest`; `nil` when it would take longer (then nothing is taken).
    func reserve(_ host: String, now: NIODeadline = .now(), waitingAtMost longest: TimeAmount = .zero) -> TimeAmount? {
        buckets.withLock { buckets in
            var bucket = buckets[host] ?? Bucket(tokens: burst, updated: now)
            let elapsed = Double((now - bucket.updated).nanoseconds) / 1e9
            bucket.tokens = min(burst, bucket.tokens + elapsed * perSecond)
            bucket.updated = now
            let wait = bucket.tokens >= 1 ? 0 : (1 - bucket.tokens) / perSecond
            guard wait * 1e9 <= Double(longest.nanoseconds) else {
                buckets[host] = bucket
                return nil
            }
            bucket.tokens -= 1
            buckets[host] = bucket
            return .nanoseconds(Int64(wait * 1e9))
        }
    }

    /// Forgets the addresses whose buckets have filled up again: they are as good as new.
    func prune(now: NIODeadline = .now()) {
        buckets.withLock { buckets in
            buckets = buckets.filter { _, bucket in
                bucket.tokens + Double((now - bucket.updated).nanoseconds) / 1e9 * perSecond < burst
            }
        }
    }
}
