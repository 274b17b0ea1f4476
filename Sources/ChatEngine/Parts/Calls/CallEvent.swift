/// What the calls part tells the user.
public enum CallEvent: Sendable, Equatable {
    /// A friend is calling: `/answer` or `/reject`.
    case incoming(from: String)
    /// The call offer reached `peer`, whose side now rings.
    case ringing(peer: String)
    /// The call is answered; audio flows both ways, on `path` from this side.
    case started(peer: String, path: CallPath)
    /// The call with `peer` is over (or never started); `duration` is the talking time.
    case ended(peer: String, reason: CallEndReason, duration: Duration)
    /// The figures of the call in progress, on request (`/call` during a call).
    case stats(CallStatistics)
}
