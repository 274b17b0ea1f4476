/// One slash-command: how it is written, what it does, and how its arguments are parsed and completed.
///
/// The table of all of them, ``all``, is the single source for the parser, Tab completion, `/help` and the
/// man page's section on the shell.
public struct CommandSpec: Sendable, Hashable {
    /// Where `/help` and the man page list a command.
    public enum Section: String, Sendable, Hashable, CaseIterable {
        /// Everyday commands.
        case chat
        /// Commands meant for scripted sessions (stdin not a terminal).
        case script
    }

    public let name: CommandName
    /// The arguments as shown in the usage line, e.g. `ID [PASSWORD]`; empty for none.
    public let arguments: String
    /// One line, lower case, no final period: what the command does.
    public let summary: String
    /// A few sentences for `/help COMMAND` and the man page: what it does, what happens offline, an example.
    public let help: String
    /// The kind of each positional argument; the last one also applies to any further arguments.
    public let completion: [ArgumentKind]
    public let minimumArguments: Int
    /// `nil` when any number of arguments may follow (`/wait`).
    public let maximumArguments: Int?
    /// Whether the last argument is the rest of the line, spaces included (`/msg ID TEXT`).
    public let takesRestOfLine: Bool
    public let section: Section

    public init(
        name: CommandName,
        arguments: String = "",
        summary: String,
        help: String,
        completion: [ArgumentKind] = [],
        minimumArguments: Int = 0,
        maximumArguments: Int? = 0,
        takesRestOfLine: Bool = false,
        section: Section = .chat
    ) {
        precondition(
            !takesRestOfLine || (maximumArguments ?? 0) > 0,
            "the rest of the line is the last of a fixed number of arguments")
        self.name = name
        self.arguments = arguments
        self.summary = summary
        self.help = help
        self.completion = completion
        self.minimumArguments = minimumArguments
        self.maximumArguments = maximumArguments
        self.takesRestOfLine = takesRestOfLine
        self.section = section
    }

    /// The command as typed, with its `/`: `/msg`.
    public var command: String { "/" + name.rawValue }

    /// The usage line without the `usage:` prefix: `/msg ID TEXT`.
    public var usage: String { arguments.isEmpty ? command : command + " " + arguments }

    /// The kind of the argument at `index` (0-based); `.none` past the last declared one unless the
    /// command takes any number of arguments, in which case the last kind repeats.
    public func kind(ofArgument index: Int) -> ArgumentKind {
        if let maximumArguments, index >= maximumArguments { return .none }
        guard let last = completion.last else { return .none }
        return index < completion.count ? completion[index] : last
    }

    /// Every command, in the order of ``CommandName``.
    public static let all: [CommandSpec] = CommandName.allCases.map(\.spec)

    /// The command called `name`, with or without its `/`, in any case.
    public static func named(_ name: some StringProtocol) -> CommandSpec? {
        var name = name.lowercased()
        if name.hasPrefix("/") { name.removeFirst() }
        return CommandName(rawValue: name)?.spec
    }
}
