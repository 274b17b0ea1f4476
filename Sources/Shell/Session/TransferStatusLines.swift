import ChatEngine
import Synchronization

/// The progress lines of running transfers above the prompt: one per transfer, redrawn at most
/// four times a second in all.
final class TransferStatusLines: Sendable {
    static let interval = Duration.milliseconds(250)

    private struct State {
        var lines: [Int: String] = [:]
        var lastDraw: ContinuousClock.Instant?
    }

    private let state = Mutex(State())

    /// Records `transfer`'s line; returns all lines when a redraw is due, nil when it is too soon.
    func update(_ transfer: FileTransfer, line: String) -> [String]? {
        state.withLock { state in
            state.lines[transfer.number] = line
            let now = ContinuousClock.now
            if let last = state.lastDraw, now - last < Self.interval, transfer.bytes < transfer.size { return nil }
            state.lastDraw = now
            return Self.ordered(state.lines)
        }
    }

    /// Drops a finished transfer's line; returns the lines left.
    func remove(_ number: Int) -> [String] {
        state.withLock { state in
            state.lines[number] = nil
            return Self.ordered(state.lines)
        }
    }

    private static func ordered(_ lines: [Int: String]) -> [String] {
        lines.sorted { $0.key < $1.key }.map(\.value)
    }
}
