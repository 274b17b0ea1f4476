import Foundation

/// Everything the engine tells its user, in one stream. The shell prints these (as text or JSON).
public enum EngineEvent: Sendable, Equatable {
    case loggedIn(user: String, registered: Bool)
    case loggedOut(user: String)
    /// The locator connection was lost (`connected == false`) or is back.
    case locator(connected: Bool, detail: String)
    case presence(user: String, online: Bool)
    case friendRequest(from: String, fingerprint: String)
    case friendAdded(id: String)
    case friendRemoved(id: String)
    case message(StoredMessage)
    case delivered(to: String, id: String)
    /// A friend went away (with their reason) or came back (`reason == nil`).
    case away(user: String, reason: String?)
    /// A friend is calling: `/answer` or `/reject`.
    case callIncoming(from: String)
    /// The call offer reached `peer`, whose side now rings.
    case callRinging(peer: String)
    /// The call is answered; audio flows both ways.
    case callStarted(peer: String)
    /// The call with `peer` is over (or never started); `duration` is the talking time.
    case callEnded(peer: String, reason: CallEndReason, duration: Duration)
    /// The figures of the call in progress, on request (`/call` during a call).
    case callStats(CallStatistics)
    /// Something went wrong that the user should know about; the engine carries on.
    case error(String)
    /// A peer presented a certificate that does not match the one pinned for it.
    case securityWarning(String)
}
