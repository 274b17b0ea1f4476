@testable import ChatEngine

extension EngineEvent {
    /// Whether this says `user` came online (or went), whatever path it names: a presence event
    /// carries the path of a connection that is already open, which depends on who dialed first.
    func isPresence(_ user: String, online: Bool) -> Bool {
        if case .session(.presence(user, online, _)) = self { true } else { false }
    }

    /// The line of a session error.
    var sessionError: String? {
        if case .session(.error(let text)) = self { text } else { nil }
    }
}
