/// One engine event as the shell shows it: its kind, its JSON fields, and its lines for people.
struct ShownEvent {
    let kind: OutputKind
    /// The fields besides `event`; their keys are `kind.fields`.
    let json: [String: JSONValue]
    /// Whether the human lines start with the time they were printed at (`[10:42] -!- …`). A
    /// message's lines carry the time it was stored at instead.
    let stamped: Bool
    /// The lines for people, built only when a person reads them.
    let human: (OutputRenderer) -> [String]

    init(
        _ kind: OutputKind, _ json: [String: JSONValue], stamped: Bool = true,
        human: @escaping (OutputRenderer) -> [String]
    ) {
        self.kind = kind
        self.json = json
        self.stamped = stamped
        self.human = human
    }
}
