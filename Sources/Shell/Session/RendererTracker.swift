import ChatEngine
import Synchronization

/// Hands out the renderer for each output, following who is logged in from the outputs
/// themselves, so that one's own lines are drawn as one's own.
final class RendererTracker: Sendable {
    private let color: Bool
    private let me = Mutex<String?>(nil)

    init(color: Bool) {
        self.color = color
    }

    func renderer(for output: ShellOutput) -> OutputRenderer {
        let user = me.withLock { me in
            if case .event(.loggedIn(let user, _)) = output { me = user }
            if case .event(.loggedOut) = output { me = nil }
            return me
        }
        return OutputRenderer(color: color, me: user)
    }
}
