/// Where the shell's output goes: plain stdout for scripts, above the prompt when interactive.
public protocol OutputSink: Sendable {
    func write(_ output: ShellOutput)
    /// The current conversation is now `peer` (nil: none); your lines to others are drawn `<you→them>`.
    func conversationChanged(to peer: String?)
    /// Asks the terminal for something besides text; sinks without a terminal ignore it.
    func perform(_ action: TerminalAction)
}

/// What a terminal can do for the shell besides printing.
public enum TerminalAction: Sendable, Equatable {
    /// Ring the bell (terminals and tmux turn it into a notification).
    case bell
    /// Clear the screen, keeping the prompt and the line being typed.
    case clear
    /// A desktop notification, through the terminal (`/set notify`).
    case notify(title: String, body: String)
}

extension OutputSink {
    public func perform(_ action: TerminalAction) {}
}
