/// What one line typed at the prompt (or read from a script) asks for.
public enum ParsedLine: Sendable, Equatable {
    /// Nothing but blanks: do nothing.
    case empty
    /// A chat line for the current conversation. `//text` arrives here as `/text`.
    case text(String, to: String)
    /// A valid command with checked, typed arguments.
    case command(CommandInvocation)
    /// One line telling the user what was wrong and what to do, without an `error:` prefix.
    case error(String)
}
