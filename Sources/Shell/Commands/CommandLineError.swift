/// Why a line could not be parsed: one line for the user, naming what was wrong and what to do.
public struct CommandLineError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    static func usage(_ spec: CommandSpec) -> CommandLineError {
        CommandLineError("usage: \(spec.usage)")
    }
}
