/// Everything the engine tells its user, in one stream: each part's own events, wrapped once.
///
/// A part says what happened in its own type (``MessagingEvent``, ``TransferEvent``, …) and emits it
/// with `core.emit(.messaging(...))`; the shell describes each part's events in a file of its own.
/// A new part adds its event type and one case here.
public enum EngineEvent: Sendable, Equatable {
    /// The login session, the locator, presence, and problems the user should know about.
    case session(SessionEvent)
    case friends(FriendsEvent)
    case messaging(MessagingEvent)
    case away(AwayEvent)
    case transfers(TransferEvent)
    case groups(GroupEvent)
    case calls(CallEvent)
    case receipts(ReceiptsEvent)
}
