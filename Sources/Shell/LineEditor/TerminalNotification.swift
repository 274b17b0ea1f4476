import Foundation

/// A desktop notification through the terminal: OSC 777 (rxvt-unicode, foot, kitty, WezTerm,
/// VTE terminals) and OSC 9 (iTerm2, Windows Terminal, kitty, WezTerm), beside the bell. A
/// terminal that knows neither ignores both.
///
/// Inside tmux each is wrapped in tmux's passthrough (`ESC P tmux; … ESC \`), which tmux hands to the
/// terminal around it when its `allow-passthrough` option is on.
struct TerminalNotification: Equatable, Sendable {
    let title: String
    let body: String

    /// What is shown at most of a message: a notification is a glimpse, not the message.
    static let maximumBodyLength = 160

    /// The title and body cleaned for a control sequence: no control characters (a peer's text must
    /// not end the sequence early or start another), no `;` in the title (OSC 777's separator), and
    /// the body cut at `maximumBodyLength` characters.
    init(title: String, body: String) {
        self.title = SafeText.line(title).replacingOccurrences(of: ";", with: ",")
        let body = SafeText.line(body)
        self.body = body.count > Self.maximumBodyLength ? String(body.prefix(Self.maximumBodyLength - 1)) + "…" : body
    }

    /// Whether the shell runs inside tmux, which needs the passthrough.
    static let insideTmux = ProcessInfo.processInfo.environment["TMUX"] != nil

    /// The bytes to write to the terminal.
    func sequence(insideTmux: Bool) -> String {
        let sequences = ["\u{1B}]777;notify;\(title);\(body)\u{7}", "\u{1B}]9;\(title): \(body)\u{7}"]
        guard insideTmux else { return sequences.joined() }
        // In a passthrough every ESC of the wrapped sequence is doubled.
        return sequences.map { "\u{1B}Ptmux;" + $0.replacingOccurrences(of: "\u{1B}", with: "\u{1B}\u{1B}") + "\u{1B}\\" }.joined()
    }
}
