/// What `/group ACTION ...` asks for, each action with its own arguments.
public enum GroupCommand: Sendable, Equatable {
    /// `NAME` without its `#`.
    case create(name: String, members: [String])
    case list
    case info(group: String)
    case invite(group: String, member: String)
    case kick(group: String, member: String)
    case leave(group: String)

    /// From `/group`'s words: the action (checked and in lower case), then its arguments.
    init(_ words: [String]) throws(CommandLineError) {
        let rest = Array(words.dropFirst())
        func need(_ count: Int, _ usage: String) throws(CommandLineError) {
            guard rest.count == count else { throw CommandLineError("usage: /group \(usage)") }
        }
        switch words[0] {
        case "create":
            guard rest.count >= 2 else { throw CommandLineError("usage: /group create NAME ID...") }
            self = .create(name: rest[0].hasPrefix("#") ? String(rest[0].dropFirst()) : rest[0], members: Array(rest.dropFirst()))
        case "list":
            try need(0, "list")
            self = .list
        case "info":
            try need(1, "info #GROUP")
            self = .info(group: rest[0])
        case "invite":
            try need(2, "invite #GROUP ID")
            self = .invite(group: rest[0], member: rest[1])
        case "kick":
            try need(2, "kick #GROUP ID")
            self = .kick(group: rest[0], member: rest[1])
        case "leave":
            try need(1, "leave #GROUP")
            self = .leave(group: rest[0])
        default:
            throw CommandLineError("usage: /group create|list|info|invite|leave|kick ...")
        }
    }
}
