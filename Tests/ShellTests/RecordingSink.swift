import Foundation
import Shell
import Synchronization

/// Keeps what the shell prints, as outputs and as the lines a person would read.
final class RecordingSink: OutputSink {
    private let outputs = Mutex<[ShellOutput]>([])
    private let recorded = Mutex<(conversation: String?, actions: [TerminalAction])>((nil, []))

    func write(_ output: ShellOutput) {
        outputs.withLock { $0.append(output) }
    }

    func conversationChanged(to peer: String?) {
        recorded.withLock { $0.conversation = peer }
    }

    func perform(_ action: TerminalAction) {
        recorded.withLock { $0.actions.append(action) }
    }

    var conversation: String? { recorded.withLock { $0.conversation } }
    var actions: [TerminalAction] { recorded.withLock { $0.actions } }

    var all: [ShellOutput] { outputs.withLock { $0 } }

    /// Everything printed so far, as plain text lines.
    var lines: [String] {
        all.flatMap(text)
    }

    /// The lines printed since the last call.
    func takeLines() -> [String] {
        let taken = outputs.withLock { outputs in
            defer { outputs.removeAll() }
            return outputs
        }
        return taken.flatMap(text)
    }

    /// An output as a person reads it, in the conversation the session is in now.
    private func text(_ output: ShellOutput) -> [String] {
        var renderer = Fixtures.renderer
        renderer.conversation = conversation
        return renderer.human(output).split(separator: "\n").map(String.init)
    }
}
