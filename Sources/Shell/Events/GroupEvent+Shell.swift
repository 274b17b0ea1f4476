import ChatEngine

/// Groups made, their texts, and changes of their members.
extension GroupEvent: ShellEvent {
    static let kinds: [OutputKind] = [
        .groupCreated, .groupMessage, .groupMemberJoined, .groupMemberLeft, .groupUpdated, .groupEdited, .groupDeleted,
    ]

    var shown: ShownEvent {
        switch self {
        case .created(let group, let owner, let members):
            ShownEvent(
                .groupCreated, ["group": .string(group), "owner": .string(owner), "members": .array(members.map { .string($0) })]
            ) { renderer in
                [
                    renderer.notice(
                        "you are in \(renderer.nick(group)), owned by \(renderer.nick(owner)), "
                            + "with \(members.map(renderer.nick).joined(separator: ", "))")
                ]
            }
        case .message(let group, let message):
            ShownEvent(
                .groupMessage,
                [
                    "group": .string(group), "id": .string(message.id), "from": .string(message.sender),
                    "text": .string(message.body), "time": .string(ShellOutput.isoTime(message.sentAt)),
                    "reply_to": JSONValue(message.replyTo),
                ],
                stamped: false, human: Self.lines(of: message, in: group))
        case .messageEdited(let group, let message):
            ShownEvent(
                .groupEdited,
                ["group": .string(group), "id": .string(message.id), "from": .string(message.sender), "text": .string(message.body)],
                stamped: false, human: Self.lines(of: message, in: group))
        case .messageDeleted(let group, let message):
            ShownEvent(
                .groupDeleted, ["group": .string(group), "id": .string(message.id), "from": .string(message.sender)], stamped: false,
                human: Self.lines(of: message, in: group))
        case .memberJoined(let group, let member):
            ShownEvent(.groupMemberJoined, ["group": .string(group), "member": .string(member)]) {
                [$0.notice("\($0.nick(member)) joined \($0.nick(group))")]
            }
        case .memberLeft(let group, let member):
            ShownEvent(.groupMemberLeft, ["group": .string(group), "member": .string(member)]) {
                [$0.notice(member == $0.me ? "you are no longer in \($0.nick(group))" : "\($0.nick(member)) left \($0.nick(group))")]
            }
        case .updated(let group, let owner, let version):
            ShownEvent(.groupUpdated, ["group": .string(group), "owner": .string(owner), "version": .number(Int(version))]) {
                [$0.notice("\($0.nick(group)) is now owned by \($0.nick(owner))")]
            }
        }
    }
}

extension GroupEvent {
    /// A group text's lines, under the group's shown name.
    private static func lines(of message: StoredMessage, in group: String) -> (OutputRenderer) -> [String] {
        { renderer in
            var message = message
            message.conversation = group
            return renderer.messageLines(message)
        }
    }
}

extension OutputKind {
    /// `group` is the shown `#name`; `members` are ids, in joining order.
    static let groupCreated = OutputKind("group_created", fields: ["group", "owner", "members"])
    /// `reply_to` is the `id` of the text it answers, or `null`.
    static let groupMessage = OutputKind("group_message", fields: ["group", "id", "from", "text", "time", "reply_to"])
    static let groupMemberJoined = OutputKind("group_member_joined", fields: ["group", "member"])
    /// Left or removed; your own id when it was you.
    static let groupMemberLeft = OutputKind("group_member_left", fields: ["group", "member"])
    /// A newer membership applies.
    static let groupUpdated = OutputKind("group_updated", fields: ["group", "owner", "version"])
    /// A member changed the text of their group text `id`.
    static let groupEdited = OutputKind("group_edited", fields: ["group", "id", "from", "text"])
    /// A member deleted their group text `id`.
    static let groupDeleted = OutputKind("group_deleted", fields: ["group", "id", "from"])
}
