import ChatWire
import TestSupport

extension ModernLocatorClient {
    /// The pushes received and not read yet, without waiting for more. After a request's answer,
    /// every push the server sent before that answer is among them.
    func pushesWaiting() async -> [LocatorReply] {
        var pushes: [LocatorReply] = []
        while let push = try? await nextPush(timeout: .zero) { pushes.append(push) }
        return pushes
    }
}
