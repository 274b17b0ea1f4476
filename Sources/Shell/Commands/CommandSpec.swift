/// One slash-command, one row of the command table: how it is written, what it does, how its
/// arguments are parsed and completed, and its action.
///
/// The table of all of them, ``all``, is the single source for the parser, Tab completion, `/help`,
/// running a command and the man page's section on the shell. Each feature declares its rows in a
/// file of its own in `Sources/Shell/Commands/Table/`.
public struct CommandSpec: Sendable {
    /// Where `/help` and the man page list a command.
    public enum Section: String, Sendable, Hashable, CaseIterable {
        /// Everyday commands.
        case chat
        /// Commands meant for scripted sessions (stdin not a terminal).
        case script
    }

    /// The name without its `/`, in lower case: `msg`.
    public let name: String
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
    /// What it does with its arguments.
    let action: CommandAction

    init(
        name: String,
        arguments: String = "",
        summary: String,
        help: String,
        completion: [ArgumentKind] = [],
        minimumArguments: Int = 0,
        maximumArguments: Int? = 0,
        takesRestOfLine: Bool = false,
        section: Section = .chat,
        action: CommandAction
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
        self.action = action
    }

    /// The command as typed, with its `/`: `/msg`.
    public var command: String { "/" + name }

    /// The usage line without the `usage:` prefix: `/msg ID TEXT`.
    public var usage: String { arguments.isEmpty ? command : command + " " + arguments }

    /// The kind of the argument at `index` (0-based); `.none` past the last declared one unless the
    /// command takes any number of arguments, in which case the last kind repeats.
    public func kind(ofArgument index: Int) -> ArgumentKind {
        if let maximumArguments, index >= maximumArguments { return .none }
        guard let last = completion.last else { return .none }
        return index < completion.count ? completion[index] : last
    }

    /// Every command, in the order `/help` lists them.
    public static let all: [CommandSpec] = CommandTable.all

    /// The command called `name`, with or without its `/`, in any case.
    public static func named(_ name: some StringProtocol) -> CommandSpec? {
        var name = name.lowercased()
        if name.hasPrefix("/") { name.removeFirst() }
        return all.first { $0.name == name }
    }
}

/// A command is its name: the table has one row per name.
extension CommandSpec: Hashable {
    public static func == (left: CommandSpec, right: CommandSpec) -> Bool {
        left.name == right.name
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
    }
}
