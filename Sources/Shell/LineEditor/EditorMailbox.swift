import Glibc
import Synchronization

/// The queue between any thread and the editor thread: commands under a lock, plus a byte written to the
/// editor's wake-up pipe so its `poll()` returns.
final class EditorMailbox: Sendable {
    private struct State {
        var commands: [EditorCommand] = []
        /// Write end of the wake-up pipe; -1 before the editor thread starts and after it ends.
        var wakeFD: Int32 = -1
        var closed = false
    }

    private let state = Mutex(State())

    /// Queues a command; false (and nothing queued) once the editor has stopped.
    @discardableResult
    func post(_ command: EditorCommand) -> Bool {
        state.withLock { state in
            guard !state.closed else { return false }
            state.commands.append(command)
            if state.wakeFD >= 0 { Self.wake(state.wakeFD) }
            return true
        }
    }

    /// Called by the editor thread once its pipe exists; commands posted earlier are then delivered.
    func open(wakeFD: Int32) {
        state.withLock { state in
            state.wakeFD = wakeFD
            if !state.commands.isEmpty { Self.wake(wakeFD) }
        }
    }

    /// Everything queued so far, oldest first.
    func takeAll() -> [EditorCommand] {
        state.withLock { state in
            defer { state.commands.removeAll() }
            return state.commands
        }
    }

    /// Refuses further commands and returns those not yet handled. The caller closes the pipe afterwards:
    /// under the lock no one writes to it any more.
    func close() -> [EditorCommand] {
        state.withLock { state in
            state.closed = true
            state.wakeFD = -1
            defer { state.commands.removeAll() }
            return state.commands
        }
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    private static func wake(_ fd: Int32) {
        // Non-blocking: when the pipe is full the editor is already due to wake up.
        var byte: UInt8 = 0
        _ = write(fd, &byte, 1)
    }
}
