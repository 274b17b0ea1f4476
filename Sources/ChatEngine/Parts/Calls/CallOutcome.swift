/// How `/call` came out: answered (the call goes on), or over before it started.
public enum CallOutcome: Sendable, Equatable {
    case answered
    case ended(CallEndReason)
}
