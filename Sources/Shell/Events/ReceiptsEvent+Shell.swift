import ChatEngine

/// Read receipts and typing. A person sees them where they belong, not as lines: `/history` marks
/// how far a friend has read, and the prompt shows a friend typing (`[alice→bob …]`); `--json` and
/// `/wait` get each as an event.
extension ReceiptsEvent: ShellEvent {
    static let kinds: [OutputKind] = [.read, .typing]

    var shown: ShownEvent {
        switch self {
        case .read(let friend, let id):
            ShownEvent(.read, ["from": .string(friend), "id": .string(id)]) { renderer in
                [renderer.notice("\(renderer.nick(friend)) has read your messages")]
            }
        case .typing(let friend, let active):
            ShownEvent(.typing, ["from": .string(friend), "active": .bool(active)]) { renderer in
                [renderer.notice(active ? "\(renderer.nick(friend)) is typing" : "\(renderer.nick(friend)) stopped typing")]
            }
        }
    }
}

extension OutputKind {
    /// A friend has read your messages up to the one with `id`.
    static let read = OutputKind("read", fields: ["from", "id"])
    /// A friend started (`active` true) or stopped typing to you.
    static let typing = OutputKind("typing", fields: ["from", "active"])
}
