/// Group commit: callers that arrive while a transaction is being written share the next one.
///
/// A durable commit costs an fsync (about 260 µs on this project's disks), whatever it holds, so
/// one commit per item caps throughput at the disk's commit rate. Here the first caller writes its
/// item at once; everyone who arrives during that commit waits and is written together in the
/// next, led by the first of them. Nobody waits on a timer: under light load a batch is one item
/// and costs what it did before; under heavy load batches grow to whatever arrived during one
/// commit.
actor GroupCommit<Item: Sendable, Output: Sendable> {
    /// Writes `items` in one transaction and returns each one's outcome, in order. An item's own
    /// failure (a duplicate, say) is its result, not the batch's; a thrown error fails them all.
    typealias Commit = @Sendable ([Item]) async throws -> [Result<Output, any Error>]

    private enum Turn {
        case done(Result<Output, any Error>)
        /// The previous batch is written: this waiter writes the next one, its own item included.
        case lead
    }

    private struct Entry {
        var id: Int
        var item: Item
        var continuation: CheckedContinuation<Turn, Never>?
    }

    private let commit: Commit
    private var waiting: [Entry] = []
    private var writing = false
    private var nextID = 0

    init(_ commit: @escaping Commit) {
        self.commit = commit
    }

    func submit(_ item: Item) async throws -> Output {
        let id = nextID
        nextID += 1
        if !writing {
            writing = true
            waiting.append(Entry(id: id, item: item))
            return try await lead(id)
        }
        let turn = await withCheckedContinuation { continuation in
            waiting.append(Entry(id: id, item: item, continuation: continuation))
        }
        switch turn {
        case .done(let result): return try result.get()
        case .lead: return try await lead(id)
        }
    }

    /// Writes everything waiting (which includes the caller's item), answers the others, and
    /// hands the next batch to the first who arrived meanwhile.
    private func lead(_ id: Int) async throws -> Output {
        let batch = waiting
        waiting = []
        let results: [Result<Output, any Error>]
        do {
            results = try await commit(batch.map(\.item))
        } catch {
            results = Array(repeating: .failure(error), count: batch.count)
        }
        var mine: Result<Output, any Error>?
        for (entry, result) in zip(batch, results) {
            if entry.id == id {
                mine = result
            } else {
                entry.continuation?.resume(returning: .done(result))
            }
        }
        if let next = waiting.first {
            next.continuation?.resume(returning: .lead)
        } else {
            writing = false
        }
        guard let mine else { preconditionFailure("a commit returned fewer results than items") }
        return try mine.get()
    }
}
