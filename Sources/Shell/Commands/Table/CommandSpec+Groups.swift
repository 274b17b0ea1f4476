/// Groups.
extension CommandSpec {
    static let groupCommands: [CommandSpec] = [group]

    public static let group = CommandSpec(
        name: "group", arguments: "ACTION [#GROUP] [ID ...]",
        summary: "make, list, inspect, grow, leave or shrink groups",
        help: """
            /group create NAME ID... makes a group of you and the friends ID (at least one); a \
            second group with exactly the same members is refused. /group list shows your groups \
            with members online and unread messages. /group info #GROUP shows its members, each \
            online or not, whether they have the group yet and how many of your texts they have not \
            got yet; for a group you left, when you left it. Your line in a group shows (queued for N) \
            while no member has it yet. /group invite #GROUP ID (owner only) \
            adds a friend; /group kick #GROUP ID (owner only) removes a member; /group leave \
            #GROUP leaves, and an owner leaving hands the group to the oldest remaining member. \
            Every member learns of each change, also those offline, when they are back. Members \
            need not be friends of each other. Two groups may have one name: they show as \
            #NAME~XXXX, with the start of the group's id. Example: /group create team bob carol
            """,
        completion: [.groupAction, .group, .friend], minimumArguments: 1, maximumArguments: nil,
        action: .run({ words in try GroupCommand(words.words) }) { session, command in try await session.group(command) })
}
