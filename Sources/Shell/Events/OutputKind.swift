/// The `"event"` name of one kind of JSON line the shell prints with `--json`, and its fields.
///
/// This is a stable interface for scripts, bots and tests, documented in the man page (JSON EVENTS):
/// one JSON object per line, keys sorted, every object with an `"event"` field naming its kind.
/// Times are ISO 8601 in UTC with milliseconds (`2025-01-31T09:05:00.250Z`); fingerprints are 64
/// lowercase hex digits; a missing value is `null`.
///
/// The kinds of events, which arrive on their own and which `/wait` can wait for, are declared by
/// each part's file in `Sources/Shell/Events/` and listed by ``ShellEvents``; the kinds of results,
/// one per command that produces one, are in `OutputKind+Results.swift`.
public struct OutputKind: Sendable, Hashable {
    public let name: String
    /// The fields besides `event`, in the documented order.
    public let fields: [String]

    init(_ name: String, fields: [String]) {
        self.name = name
        self.fields = fields
    }

    /// What `/wait` accepts, in the documented order.
    public static var events: [OutputKind] { ShellEvents.kinds }

    /// The event called `name`, if there is one.
    public static func event(named name: String) -> OutputKind? {
        events.first { $0.name == name }
    }
}
