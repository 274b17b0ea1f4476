/// Counts the members' acks of each group message, and tells when all of them came.
actor DeliveryTally {
    private let expected: Int
    private var counts: [String: Int] = [:]
    private var waiting: [String: CheckedContinuation<Void, Never>] = [:]

    init(expected: Int) {
        self.expected = expected
    }

    func delivered(_ id: String) {
        counts[id, default: 0] += 1
        if counts[id] == expected { waiting.removeValue(forKey: id)?.resume() }
    }

    /// A task that ends once every member acked `id` (at once when they already have).
    nonisolated func waiter(for id: String) -> Task<Void, Never> {
        Task { await self.wait(for: id) }
    }

    private func wait(for id: String) async {
        if counts[id, default: 0] >= expected { return }
        await withCheckedContinuation { waiting[id] = $0 }
    }
}
