/// The wait before each new try after a failure: `first`, doubling up to `cap`, each one jittered
/// by ±20% so that clients that failed together (a relay or a locator replica went down) do not
/// all come back in the same instant.
struct Backoff: Sendable {
    let first: Duration
    let cap: Duration
    private var current: Duration

    init(first: Duration, cap: Duration) {
        self.first = first
        self.cap = cap
        current = first
    }

    /// The wait before the next try; the one after is twice as long, up to `cap`.
    mutating func next() -> Duration {
        defer { current = min(current * 2, cap) }
        return current * Double.random(in: 0.8...1.2)
    }

    /// After a success: the next failure waits `first` again.
    mutating func reset() {
        current = first
    }
}
