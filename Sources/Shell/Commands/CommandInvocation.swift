/// A command line that parsed: the command, its checked words, and its typed arguments, ready to run.
public struct CommandInvocation: Sendable {
    public let spec: CommandSpec
    /// The words as checked by their ``ArgumentKind``, quotes removed; the rest of the line as typed.
    public let words: [String]
    /// What the command's action made of the words (`()` for none).
    public let arguments: any Sendable
    let run: CommandAction.Run
}

extension CommandInvocation: Equatable {
    public static func == (left: CommandInvocation, right: CommandInvocation) -> Bool {
        left.spec == right.spec && left.words == right.words
    }
}
