/// Why a call command could not be done; each says what to do about it.
public enum CallError: Error, Sendable, Equatable, CustomStringConvertible {
    case inCall(String)
    case noCall
    case noIncomingCall
    /// The audio devices could not be opened or used; the text is the device's own error.
    case audio(String)

    public var description: String {
        switch self {
        case .inCall(let peer): "already in a call with \(peer): /hangup first"
        case .noCall: "not in a call"
        case .noIncomingCall: "nobody is calling"
        case .audio(let problem): problem
        }
    }
}
