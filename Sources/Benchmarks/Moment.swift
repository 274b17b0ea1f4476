/// A moment the storm's clients wait for (the kill, the end), and when it came.
actor Moment {
    private var value: ContinuousClock.Instant?
    private var waiting: [CheckedContinuation<ContinuousClock.Instant, Never>] = []

    /// The moment, once it has come.
    var instant: ContinuousClock.Instant {
        get async {
            if let value { return value }
            return await withCheckedContinuation { waiting.append($0) }
        }
    }

    func set(_ instant: ContinuousClock.Instant) {
        guard value == nil else { return }
        value = instant
        for continuation in waiting { continuation.resume(returning: instant) }
        waiting = []
    }
}
