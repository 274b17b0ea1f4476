import ChatEngine
import Foundation
import Synchronization

/// Prints to stdout for scripts and pipes: JSON lines, or human lines (errors to stderr).
final class StandardOutputSink: OutputSink {
    private let json: Bool
    private let color: Bool
    /// The logged-in user, so the renderer can draw one's own lines differently.
    private let me = Mutex<String?>(nil)

    init(json: Bool, color: Bool) {
        self.json = json
        self.color = color
    }

    func write(_ output: ShellOutput) {
        let user = me.withLock { me in
            if case .event(.loggedIn(let user, _)) = output { me = user }
            if case .event(.loggedOut) = output { me = nil }
            return me
        }
        let renderer = OutputRenderer(color: color, me: user)
        if json {
            Self.write(renderer.json(output) + "\n", to: .standardOutput)
        } else {
            Self.write(renderer.human(output) + "\n", to: output.isError ? .standardError : .standardOutput)
        }
    }

    private static func write(_ text: String, to handle: FileHandle) {
        handle.write(Data(text.utf8))
    }
}

extension ShellOutput {
    var isError: Bool {
        switch self {
        case .error, .event(.error), .event(.securityWarning): true
        default: false
        }
    }
}
