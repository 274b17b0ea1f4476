import Synchronization

/// Bytes and speed of the transfers running now, by number: written by the chunk paths, read by `/files`.
final class LiveProgress: Sendable {
    struct Entry: Sendable {
        var bytes: Int64
        var rate: Double
    }

    private let entries = Mutex<[Int: Entry]>([:])

    func set(_ number: Int, bytes: Int64, rate: Double) {
        entries.withLock { $0[number] = Entry(bytes: bytes, rate: rate) }
    }

    func remove(_ number: Int) {
        _ = entries.withLock { $0.removeValue(forKey: number) }
    }

    var snapshot: [Int: Entry] { entries.withLock { $0 } }
}
