import ChatWire

/// Turns a line typed at the prompt, or read from a script, into a ``ParsedLine``, driven by
/// ``CommandSpec/all``.
///
/// - A line whose first non-blank character is `/` is a command; the name is case-insensitive.
///   `//text` is the chat line `/text`.
/// - Any other line is text for the current conversation, kept exactly as typed.
/// - Arguments are separated by blanks and may be double-quoted (see ``ArgumentScanner``); a command
///   whose spec ``CommandSpec/takesRestOfLine`` gets its last argument exactly as typed, from its first
///   non-blank character to the end of the line (inner and trailing blanks kept).
///
/// Each word is checked by its ``ArgumentKind``: ids (`.user`, `.friend`) pass `UserName.isValid`,
/// `/help COMMAND` gets the command's name without `/`, in lower case. Then the command's action
/// turns the words into its typed arguments (``CommandAction``), and any error there is a usage
/// error too.
public enum CommandLineParser {
    public static let defaultHistoryCount = 20
    public static let maximumHistoryCount = 1000
    /// The longest `/sleep` or `/wait` timeout, in seconds: a day.
    public static let maximumSeconds = 86_400

    public static let noConversation = "no conversation: use /chat ID or /msg ID TEXT"
    /// `/help keys`: the key bindings rather than a command.
    public static let keysTopic = "keys"

    public static func parse(_ line: String, currentConversation: String?) -> ParsedLine {
        do {
            return try parseLine(line, currentConversation: currentConversation)
        } catch {
            return .error(error.message)
        }
    }

    /// A number of seconds as written after `/sleep` or `timeout=`: digits with an optional decimal
    /// part (`2`, `0.5`, `.5`), at most ``maximumSeconds``. `nil` for anything else.
    public static func seconds(_ text: some StringProtocol) -> Duration? {
        let text = String(text)
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard !text.isEmpty, text != ".", parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let whole = parts[0].isEmpty ? 0 : Int(parts[0].prefix(9)), parts[0].count <= 9
        else { return nil }
        let fraction = parts.count > 1 ? String(parts[1].prefix(9)) : ""
        let nanoseconds = Int(fraction + String(repeating: "0", count: 9 - fraction.count)) ?? 0
        let duration = Duration.seconds(whole) + Duration.nanoseconds(nanoseconds)
        return duration <= .seconds(maximumSeconds) ? duration : nil
    }

    private static func parseLine(_ line: String, currentConversation: String?) throws(CommandLineError) -> ParsedLine {
        var scalars = line.unicodeScalars
        while let last = scalars.last, last == "\n" || last == "\r" { scalars.removeLast() }
        guard let first = scalars.firstIndex(where: { !ArgumentScanner.isBlank($0) }) else { return .empty }
        guard scalars[first] == "/" else {
            return try text(String(scalars), to: currentConversation)
        }
        let nameStart = scalars.index(after: first)
        if nameStart < scalars.endIndex, scalars[nameStart] == "/" {
            return try text(String(Substring(scalars[nameStart...])), to: currentConversation)
        }
        let nameEnd = scalars[nameStart...].firstIndex(where: ArgumentScanner.isBlank) ?? scalars.endIndex
        let name = String(Substring(scalars[nameStart..<nameEnd]))
        guard !name.isEmpty, let spec = CommandSpec.named(name) else { throw unknownCommand(name) }
        var scanner = ArgumentScanner(scalars, from: nameEnd)
        var arguments: [String] = []
        let separateWords = spec.takesRestOfLine ? (spec.maximumArguments ?? 1) - 1 : Int.max
        while arguments.count < separateWords, let word = try scanner.nextWord() {
            arguments.append(word)
        }
        if spec.takesRestOfLine, let rest = scanner.rest() {
            arguments.append(rest)
        }
        guard arguments.count >= spec.minimumArguments,
            spec.maximumArguments.map({ arguments.count <= $0 }) ?? true
        else { throw .usage(spec) }
        let words = CommandWords(
            spec: spec, words: try checked(arguments, of: spec), conversation: currentConversation)
        let prepared: (arguments: any Sendable, run: CommandAction.Run)
        do {
            prepared = try spec.action.prepare(words)
        } catch let error as CommandLineError {
            throw error
        } catch {
            throw CommandLineError(String(describing: error))
        }
        return .command(CommandInvocation(spec: spec, words: words.words, arguments: prepared.arguments, run: prepared.run))
    }

    private static func text(_ text: String, to conversation: String?) throws(CommandLineError) -> ParsedLine {
        guard let conversation else { throw CommandLineError(noConversation) }
        return .text(text, to: conversation)
    }

    /// Checks each argument by its kind.
    private static func checked(_ arguments: [String], of spec: CommandSpec) throws(CommandLineError) -> [String] {
        var result: [String] = []
        for (index, argument) in arguments.enumerated() {
            result.append(try checked(argument, as: spec.kind(ofArgument: index), in: spec))
        }
        return result
    }

    private static func checked(
        _ argument: String, as kind: ArgumentKind, in spec: CommandSpec
    ) throws(CommandLineError) -> String {
        switch kind {
        case .user, .friend, .requester:
            try checkedUser(argument)
        case .command where argument.lowercased() == keysTopic:
            keysTopic
        case .command:
            if let named = CommandSpec.named(argument) { named.name } else { throw unknownCommand(argument) }
        case .eventName:
            try WaitCondition.checkedEvent(argument).name
        case .conversation:
            try checkedConversation(argument)
        case .groupAction:
            if CommandLineParser.groupActions.contains(argument.lowercased()) { argument.lowercased() } else { throw .usage(spec) }
        case .confirmation:
            if argument.lowercased() == confirmed { confirmed } else { throw .usage(spec) }
        case .none, .text, .file, .group, .setting, .settingValue:
            argument
        case .number, .seconds:
            argument  // the action reads it (`CommandWords.number`, `.seconds`), with its own message
        }
    }

    /// What `/verify ID` takes once the numbers were compared.
    public static let confirmed = "confirmed"

    /// What `/group` can do, in the order its help tells.
    public static let groupActions = ["create", "list", "info", "invite", "leave", "kick"]

    /// A friend's id, or a `#group` as the user wrote it (the engine finds the group).
    static func checkedConversation(_ argument: String) throws(CommandLineError) -> String {
        guard argument.hasPrefix("#") else { return try checkedUser(argument) }
        guard argument.count > 1 else { throw CommandLineError("'#' must be followed by a group name") }
        return argument
    }

    static func checkedUser(_ argument: String) throws(CommandLineError) -> String {
        guard UserName.isValid(argument) else {
            throw CommandLineError("'\(shown(argument))' is not a valid id: \(UserName.rule)")
        }
        return argument
    }

    // MARK: Unknown commands

    private static func unknownCommand(_ name: String) -> CommandLineError {
        guard !name.isEmpty else { return CommandLineError("a command name must follow /: /help lists the commands") }
        if let suggestion = suggestion(for: name) {
            return CommandLineError("unknown command /\(shown(name)); did you mean \(suggestion.command)?")
        }
        return CommandLineError("unknown command /\(shown(name)): /help lists the commands")
    }

    /// The command `name` was most likely meant to be: the only one it starts, or the nearest by edit
    /// distance when that is close (one edit for names of up to 4 characters, two for longer ones).
    static func suggestion(for name: String) -> CommandSpec? {
        var name = name.lowercased()
        if name.hasPrefix("/") { name.removeFirst() }
        guard !name.isEmpty else { return nil }
        let started = CommandSpec.all.filter { $0.name.hasPrefix(name) }
        if started.count == 1 { return started[0] }
        let allowed = name.count <= 4 ? 1 : 2
        var best: (spec: CommandSpec, distance: Int)?
        for spec in CommandSpec.all {
            let distance = EditDistance.between(name, spec.name)
            if distance <= allowed, distance < (best?.distance ?? .max) { best = (spec, distance) }
        }
        return best?.spec
    }

    /// Part of what the user typed, for an error line: at most 40 characters, no control characters.
    static func shown(_ text: String) -> String {
        let cleaned = SafeText.line(text)
        return cleaned.count > 40 ? cleaned.prefix(40) + "…" : cleaned
    }
}
