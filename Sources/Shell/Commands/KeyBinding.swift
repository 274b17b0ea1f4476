import Foundation

/// A key of the interactive prompt and what it does: the table behind `/help keys` and the man page's KEYS
/// section. The editor binds the keys themselves (`EditorSession`); the rest are libedit's emacs keys.
public struct KeyBinding: Sendable, Hashable {
    public let keys: String
    public let action: String

    public static let all: [KeyBinding] = [
        KeyBinding(keys: "Alt-1 … Alt-9", action: "talk to the 1st … 9th conversation, in /friends order"),
        KeyBinding(keys: "Alt-A", action: "talk to the conversation with the oldest unread message"),
        KeyBinding(keys: "Ctrl-N, Ctrl-P", action: "talk to the next, the previous conversation"),
        KeyBinding(keys: "Tab", action: "complete a command, an argument, or an id in text (again: the next id)"),
        KeyBinding(keys: "Up, Down", action: "recall earlier lines (history is kept per user)"),
        KeyBinding(keys: "Ctrl-R", action: "search history backwards; Enter takes the line, an arrow key edits it"),
        KeyBinding(keys: "Ctrl-L", action: "clear the screen, as /clear"),
        KeyBinding(keys: "Ctrl-A, Ctrl-E", action: "go to the start, the end of the line"),
        KeyBinding(keys: "Ctrl-W, Ctrl-U", action: "delete the word before the cursor, the whole line"),
        KeyBinding(keys: "Ctrl-C", action: "clear the line; on an empty line twice, leave"),
        KeyBinding(keys: "Ctrl-D", action: "on an empty line, leave as /quit"),
    ]

    /// The table as plain text (`--json`'s `message`).
    static func helpText(_ bindings: [KeyBinding]) -> String {
        let width = bindings.map(\.keys.count).max() ?? 0
        return (["keys at the prompt:"] + bindings.map { "    " + $0.keys.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.action })
            .joined(separator: "\n")
    }
}
