import Dispatch
import Foundation

/// The lines of standard input, read on a thread of their own so a slow pipe never blocks the
/// Swift concurrency pool that the engine runs on.
///
/// The reader thread reads at most ``readAhead`` lines before the script has taken them: it blocks
/// on a semaphore (its own thread, not the pool's) until a line is taken, so a long script never
/// fills memory.
struct StandardInputLines: AsyncSequence, Sendable {
    typealias Element = String
    typealias Failure = Never

    static let readAhead = 64

    private let lines: AsyncStream<String>
    /// One permit per line the reader may read before the previous ones are taken.
    private let room: DispatchSemaphore

    init() {
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        // Created empty and then given its permits: libdispatch traps when a semaphore is freed with a
        // value below the one it was created with.
        let room = DispatchSemaphore(value: 0)
        for _ in 0..<Self.readAhead { room.signal() }
        self.lines = lines
        self.room = room
        let reader = Thread {
            while true {
                room.wait()
                guard let line = readLine(strippingNewline: true) else { break }
                continuation.yield(line)
            }
            continuation.finish()
        }
        reader.name = "p2pchat stdin"
        reader.start()
    }

    func makeAsyncIterator() -> Iterator {
        Iterator(lines: lines.makeAsyncIterator(), room: room)
    }

    struct Iterator: AsyncIteratorProtocol {
        var lines: AsyncStream<String>.Iterator
        let room: DispatchSemaphore

        mutating func next() async -> String? {
            guard let line = await lines.next() else { return nil }
            room.signal()
            return line
        }
    }
}
