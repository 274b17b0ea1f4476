/// What `/wait EVENT [KEY=VALUE ...] [timeout=SECONDS]` waits for: an output named `event` whose JSON
/// fields equal every one of `fields` (see ``EventMatcher``), within `timeout`.
///
/// `KEY=VALUE` splits at the first `=`; the value may be double-quoted to hold blanks
/// (`text="hello world"`, see ``ArgumentScanner``), and may be empty (`detail=`). `timeout` is not a
/// field: it sets the timeout, in seconds (decimals allowed, more than 0, at most a day). Keys are
/// checked against the event's documented fields, so a misspelt key is an error rather than a wait
/// that can never succeed.
public struct WaitCondition: Sendable, Hashable {
    public static let defaultTimeout: Duration = .seconds(30)

    public var event: String
    public var fields: [String: String]
    public var timeout: Duration

    public init(event: String, fields: [String: String] = [:], timeout: Duration = Self.defaultTimeout) {
        self.event = event
        self.fields = fields
        self.timeout = timeout
    }

    /// Builds the condition from `/wait`'s arguments, already unquoted: `["message", "from=bob", "timeout=5"]`.
    public init(arguments: [String]) throws(CommandLineError) {
        let usage = CommandLineError.usage(CommandSpec.wait)
        guard let first = arguments.first else { throw usage }
        let event = try Self.checkedEvent(first)
        var fields: [String: String] = [:]
        var timeout: Duration?
        for pair in arguments.dropFirst() {
            guard let equals = pair.firstIndex(of: "="), equals > pair.startIndex else {
                throw CommandLineError("'\(CommandLineParser.shown(pair))' is not KEY=VALUE; \(usage.message)")
            }
            let key = String(pair[..<equals])
            let value = String(pair[pair.index(after: equals)...])
            if key == "timeout" {
                guard timeout == nil else { throw CommandLineError("timeout is given twice; \(usage.message)") }
                guard let seconds = CommandLineParser.seconds(value), seconds > .zero else {
                    throw CommandLineError(
                        "timeout=\(CommandLineParser.shown(value)) is not a number of seconds above 0 and at most "
                            + "\(CommandLineParser.maximumSeconds); \(usage.message)")
                }
                timeout = seconds
                continue
            }
            guard event.fields.contains(key) else {
                throw CommandLineError(
                    "\(event.name) has no field '\(CommandLineParser.shown(key))': its fields are "
                        + event.fields.joined(separator: ", "))
            }
            guard fields.updateValue(value, forKey: key) == nil else {
                throw CommandLineError("\(key) is given twice; \(usage.message)")
            }
        }
        self.init(event: event.name, fields: fields, timeout: timeout ?? Self.defaultTimeout)
    }

    /// The event called `name`, if it is one that arrives on its own (a result of a command is not).
    static func checkedEvent(_ name: String) throws(CommandLineError) -> OutputKind {
        guard let event = OutputKind.event(named: name) else {
            throw CommandLineError(
                "unknown event '\(CommandLineParser.shown(name))': one of "
                    + OutputKind.events.map(\.name).joined(separator: ", "))
        }
        return event
    }
}
