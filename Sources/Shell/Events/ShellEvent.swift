/// One part's events, as the shell shows them. Each part's event type conforms in a file of its own
/// in `Sources/Shell/Events/`, which says everything about its events once: the `--json` name and
/// fields of each kind, the JSON object, and the human line.
protocol ShellEvent: Sendable {
    /// Every kind of this part's events, in the order the man page documents them.
    static var kinds: [OutputKind] { get }
    /// This event: its kind (one of `kinds`), its JSON fields and its human lines.
    var shown: ShownEvent { get }
}
