import ChatEngine
import Synchronization

/// Hands out the renderer for each output, following who is logged in from the outputs
/// themselves, so that one's own lines are drawn as one's own, and the current conversation
/// as the session reports it.
final class RendererTracker: Sendable {
    private let color: Bool
    private let width: @Sendable () -> Int?
    private let state = Mutex<(me: String?, conversation: String?)>((nil, nil))

    init(color: Bool, width: @escaping @Sendable () -> Int? = { nil }) {
        self.color = color
        self.width = width
    }

    func conversationChanged(to peer: String?) {
        state.withLock { $0.conversation = peer }
    }

    func renderer(for output: ShellOutput) -> OutputRenderer {
        let (user, conversation) = state.withLock { state in
            if case .event(.session(.loggedIn(let user, _))) = output { state.me = user }
            if case .event(.session(.loggedOut)) = output { state = (nil, nil) }
            return state
        }
        return OutputRenderer(color: color, me: user, conversation: conversation, width: width())
    }
}
