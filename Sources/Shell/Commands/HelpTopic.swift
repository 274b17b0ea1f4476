/// What `/help` explains.
public enum HelpTopic: Sendable, Equatable {
    /// Every command.
    case commands
    /// The keys of the prompt (`/help keys`).
    case keys
    /// One command (`/help msg`).
    case command(CommandSpec)

    /// From `/help`'s word, which the parser checked: a command's name or ``CommandLineParser/keysTopic``.
    init(_ word: String?) {
        if word == CommandLineParser.keysTopic {
            self = .keys
        } else if let word, let spec = CommandSpec.named(word) {
            self = .command(spec)
        } else {
            self = .commands
        }
    }
}
