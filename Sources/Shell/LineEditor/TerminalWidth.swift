import Synchronization

/// The terminal's width in columns, written by the editor thread (at start and on every resize) and read by
/// whoever lays out text; 0 while unknown.
final class TerminalWidth: Sendable {
    private let columns = Atomic<Int>(0)

    var value: Int? {
        let columns = columns.load(ordering: .relaxed)
        return columns > 0 ? columns : nil
    }

    func update(_ value: Int) {
        columns.store(value, ordering: .relaxed)
    }
}
