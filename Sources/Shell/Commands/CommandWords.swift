/// The words of a command line, each checked by its ``ArgumentKind``, as the command's action turns
/// them into its typed arguments.
struct CommandWords: Sendable {
    let spec: CommandSpec
    let words: [String]
    /// The current conversation, for a command that defaults to it.
    let conversation: String?

    subscript(index: Int) -> String { words[index] }

    /// The word at `index`, or `nil` when the line has fewer.
    func optional(_ index: Int) -> String? {
        words.indices.contains(index) ? words[index] : nil
    }

    /// The word at `index` as a whole number above 0.
    func number(_ index: Int) throws(CommandLineError) -> Int {
        guard let number = Int(words[index]), number > 0 else { throw .usage(spec) }
        return number
    }

    /// The word at `index` as a number of seconds (see ``CommandLineParser/seconds(_:)``).
    func seconds(_ index: Int) throws(CommandLineError) -> Duration {
        guard let duration = CommandLineParser.seconds(words[index]) else {
            throw CommandLineError(
                "'\(CommandLineParser.shown(words[index]))' is not a number of seconds from 0 to "
                    + "\(CommandLineParser.maximumSeconds); usage: \(spec.usage)")
        }
        return duration
    }
}
