import ChatEngine

/// The parts whose events the shell shows, in the order the man page documents them: a new part's
/// event type is one line here and one in `EngineEvent.shellEvent`.
enum ShellEvents {
    static let parts: [any ShellEvent.Type] = [
        SessionEvent.self,
        FriendsEvent.self,
        MessagingEvent.self,
        AwayEvent.self,
        TransferEvent.self,
        GroupEvent.self,
        CallEvent.self,
        ReceiptsEvent.self,
    ]

    /// Every kind of event, in order.
    static let kinds: [OutputKind] = parts.flatMap { $0.kinds }
}

extension EngineEvent {
    /// The part's own event, which says how it is shown.
    var shellEvent: any ShellEvent {
        switch self {
        case .session(let event): event
        case .friends(let event): event
        case .messaging(let event): event
        case .away(let event): event
        case .transfers(let event): event
        case .groups(let event): event
        case .calls(let event): event
        case .receipts(let event): event
        }
    }

    var shown: ShownEvent { shellEvent.shown }
}
