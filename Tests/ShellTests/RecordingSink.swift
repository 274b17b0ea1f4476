import Foundation
import Shell
import Synchronization

/// Keeps what the shell prints, as outputs and as the lines a person would read.
final class RecordingSink: OutputSink {
    private let outputs = Mutex<[ShellOutput]>([])

    func write(_ output: ShellOutput) {
        outputs.withLock { $0.append(output) }
    }

    var all: [ShellOutput] { outputs.withLock { $0 } }

    /// Everything printed so far, as plain text lines.
    var lines: [String] {
        all.flatMap { Fixtures.renderer.human($0).split(separator: "\n").map(String.init) }
    }

    /// The lines printed since the last call.
    func takeLines() -> [String] {
        let taken = outputs.withLock { outputs in
            defer { outputs.removeAll() }
            return outputs
        }
        return taken.flatMap { Fixtures.renderer.human($0).split(separator: "\n").map(String.init) }
    }
}
