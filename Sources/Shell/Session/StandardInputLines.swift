import Foundation

/// The lines of standard input, read on a thread of their own so a slow pipe never blocks the
/// Swift concurrency pool that the engine runs on.
enum StandardInputLines {
    static func stream() -> AsyncStream<String> {
        let (lines, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(1024))
        let reader = Thread {
            while let line = readLine(strippingNewline: true) {
                // Back-pressure: a long script waits here instead of filling memory.
                while case .dropped = continuation.yield(line) { Thread.sleep(forTimeInterval: 0.01) }
            }
            continuation.finish()
        }
        reader.name = "p2pchat stdin"
        reader.start()
        return lines
    }
}
