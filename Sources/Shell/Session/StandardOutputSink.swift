import ChatEngine
import Foundation

/// Prints to stdout for scripts and pipes: JSON lines, or human lines (errors to stderr).
final class StandardOutputSink: OutputSink {
    private let json: Bool
    private let renderers: RendererTracker

    init(json: Bool, color: Bool) {
        self.json = json
        self.renderers = RendererTracker(color: color)
    }

    func write(_ output: ShellOutput) {
        let renderer = renderers.renderer(for: output)
        if case .event(.transfers(.progress)) = output, !json { return }  // a line twice a second helps no one reading a log
        if json {
            Self.write(renderer.json(output) + "\n", to: .standardOutput)
        } else {
            Self.write(renderer.human(output) + "\n", to: output.isError ? .standardError : .standardOutput)
        }
    }

    func conversationChanged(to peer: String?) {
        renderers.conversationChanged(to: peer)
    }

    /// A reader that went away (`p2pchat < script | head`) ends the client as it ends any writer
    /// in a pipeline, by SIGPIPE, which NIO ignores for its sockets: the trapping `write(_:)`
    /// would crash it instead. What it had acknowledged is on disk already, as after a kill.
    private static func write(_ text: String, to handle: FileHandle) {
        do {
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            guard handle.fileDescriptor == STDOUT_FILENO else { return }
            signal(SIGPIPE, SIG_DFL)
            raise(SIGPIPE)
        }
    }
}

extension ShellOutput {
    var isError: Bool {
        switch self {
        case .error, .event(.session(.error)), .event(.session(.securityWarning)): true
        default: false
        }
    }
}
