import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lines a child process writes to one of its output streams, collected by a thread of its own
/// (a blocking read must not hold one of the few threads of the Swift concurrency pool).
final class LineBuffer: Sendable {
    private struct State {
        var lines: [String] = []
        var partial: [UInt8] = []
        var finished = false
    }

    private let state = Mutex(State())

    /// Starts reading `handle` until end of file, on a new thread called `name`.
    func startReading(_ handle: FileHandle, name: String) {
        let thread = Thread { [self] in
            // read(2) returns what is there; FileHandle's reads wait for a full buffer or the end.
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                append(buffer[..<count])
            }
            markFinished()
            _ = handle  // keeps the descriptor open until the end
        }
        thread.name = name
        thread.start()
    }

    /// Every complete line so far, without its `\n`.
    var lines: [String] {
        state.withLock { $0.lines }
    }

    /// Whether the stream reached its end (the process closed it, usually by exiting).
    var isFinished: Bool {
        state.withLock { $0.finished }
    }

    /// The last `count` lines, for failure messages.
    func tail(_ count: Int = 40) -> String {
        state.withLock { state in
            var shown = state.lines.suffix(count)
            if !state.partial.isEmpty { shown.append(String(decoding: state.partial, as: UTF8.self) + " (no newline yet)") }
            return shown.isEmpty ? "(nothing)" : shown.joined(separator: "\n")
        }
    }

    private func append(_ chunk: ArraySlice<UInt8>) {
        state.withLock { state in
            for byte in chunk {
                if byte == UInt8(ascii: "\n") {
                    state.lines.append(String(decoding: state.partial, as: UTF8.self))
                    state.partial.removeAll(keepingCapacity: true)
                } else {
                    state.partial.append(byte)
                }
            }
        }
    }

    /// Marks the end of the stream (also for one that is not read at all).
    func markFinished() {
        state.withLock { state in
            if !state.partial.isEmpty {
                state.lines.append(String(decoding: state.partial, as: UTF8.self))
                state.partial = []
            }
            state.finished = true
        }
    }
}
