/// What a command does. Its checked words become its typed arguments once, when the line is parsed
/// (so a bad argument is a usage error before anything runs), and the action runs with them.
public struct CommandAction: Sendable {
    /// The command, ready to run in a session.
    typealias Run = @Sendable (isolated ShellSession) async throws -> Void

    /// The typed arguments, for tests and for `/wait`, and the run.
    let prepare: @Sendable (CommandWords) throws -> (arguments: any Sendable, run: Run)

    /// A command without arguments.
    static func run(_ body: @escaping @Sendable (isolated ShellSession) async throws -> Void) -> CommandAction {
        CommandAction { _ in ((), body) }
    }

    /// A command whose checked words become `Arguments` by `parse`, which throws a
    /// ``CommandLineError`` for words that do not fit.
    static func run<Arguments: Sendable>(
        _ parse: @escaping @Sendable (CommandWords) throws -> Arguments,
        _ body: @escaping @Sendable (isolated ShellSession, Arguments) async throws -> Void
    ) -> CommandAction {
        CommandAction { words in
            let arguments = try parse(words)
            return (arguments, { session in try await body(session, arguments) })
        }
    }
}
