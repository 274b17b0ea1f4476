import ChatEngine
import ChatIdentity
import ChatWire
import Foundation

extension ShellOutput {
    /// The JSON object for this output, `"event"` included: an event's is said by its part's file in
    /// `Sources/Shell/Events/`, a result's here.
    var jsonObject: [String: JSONValue] {
        var fields = jsonFields
        fields["event"] = .string(kind.name)
        return fields
    }

    private var jsonFields: [String: JSONValue] {
        switch self {
        case .event(let event):
            event.shown.json
        case .sent(let message):
            [
                "to": .string(message.recipient), "id": .string(message.id),
                "delivery": .string((message.delivery ?? .queued).rawValue),
            ]
        case .friends(let friends):
            [
                "friends": .array(
                    friends.map { friend in
                        .object([
                            "id": .string(friend.id), "online": .bool(friend.online), "unread": .number(friend.unread),
                            "fingerprint": .string(friend.fingerprint), "away": JSONValue(friend.away),
                            "verified": .bool(friend.verified), "key_changed": .bool(friend.keyChanged),
                            "path": JSONValue(friend.path?.name), "rtt_ms": JSONValue(friend.path?.roundTripMilliseconds),
                        ])
                    })
            ]
        case .verification(let verification):
            [
                "id": .string(verification.peer), "safety_number": .string(verification.safetyNumber.grouped),
                "verified": .bool(verification.verified), "offered": JSONValue(verification.offered?.grouped),
            ]
        case .requests(let incoming, let outgoing):
            ["incoming": Self.requests(incoming), "outgoing": Self.requests(outgoing)]
        case .query(let id, let address, let path):
            [
                "id": .string(id), "online": .bool(address != nil), "address": JSONValue(address?.host),
                "port": JSONValue(address?.port), "fingerprint": JSONValue(address?.fingerprint),
                "path": JSONValue(path?.name), "rtt_ms": JSONValue(path?.roundTripMilliseconds),
            ]
        case .history(let with, let messages, let readUpTo):
            [
                "with": .string(with), "messages": .array(messages.map { .object(Self.fields(of: $0)) }),
                "read_up_to": JSONValue(readUpTo),
            ]
        case .unread(let with, let messages):
            ["with": .string(with), "messages": .array(messages.map { .object(Self.fields(of: $0)) })]
        case .search(let query, let messages):
            ["query": .string(query), "messages": .array(messages.map { .object(Self.fields(of: $0)) })]
        case .groups(let groups):
            [
                "groups": .array(
                    groups.map { group in
                        .object([
                            "group": .string(group.shownName), "id": .string(group.id), "owner": .string(group.owner),
                            "members": .number(group.members.count), "online": .number(group.members.filter(\.online).count),
                            "unread": .number(group.unread),
                        ])
                    })
            ]
        case .groupInfo(let group):
            [
                "group": .string(group.shownName), "id": .string(group.id), "owner": .string(group.owner),
                "version": .number(Int(group.version)), "left_at": JSONValue(group.leftAt.map(Self.isoTime)),
                "members": .array(
                    group.members.map { member in
                        .object([
                            "id": .string(member.id), "online": .bool(member.online), "has_group": .bool(member.hasGroup),
                            "waiting_texts": .number(member.waitingTexts),
                        ])
                    }),
            ]
        case .whoami(let user, let fingerprint, let peerPort, let locator):
            [
                "user": .string(user), "fingerprint": .string(fingerprint), "peer_port": JSONValue(peerPort),
                "locator": .string(locator),
            ]
        case .status(let user, let locatorConnected, let peerPort, let friendsOnline, let friends, let queued):
            [
                "user": JSONValue(user), "logged_in": .bool(user != nil), "locator_connected": .bool(locatorConnected),
                "peer_port": JSONValue(peerPort), "friends_online": .number(friendsOnline), "friends": .number(friends),
                "queued": .number(queued),
            ]
        case .info(let message):
            ["message": .string(message)]
        case .keys(let bindings):
            ["message": .string(KeyBinding.helpText(bindings))]
        case .files(let transfers):
            [
                "transfers": .array(
                    transfers.map { transfer in
                        .object(
                            Self.fields(of: transfer).merging([
                                "direction": .string(transfer.direction.rawValue), "bytes": Self.number(transfer.bytes),
                                "percent": .number(ByteCount.percent(transfer.bytes, of: transfer.size)),
                                "bytes_per_second": JSONValue(transfer.bytesPerSecond.map { Int($0) }),
                                "state": .string(transfer.state.rawValue),
                            ]) { $1 })
                    })
            ]
        case .help(let specs):
            ["commands": .array(specs.map { .object(Self.fields(of: $0)) })]
        case .commandHelp(let spec):
            ["commands": .array([.object(Self.fields(of: spec).merging(["help": .string(spec.help)]) { $1 })])]
        case .error(let message):
            ["message": .string(message)]
        }
    }

    /// The fields every file object has: those of ``OutputKind/transferFields``.
    static func fields(of transfer: FileTransfer) -> [String: JSONValue] {
        [
            "transfer": .number(transfer.number), "peer": .string(transfer.peer), "name": .string(transfer.name),
            "size": number(transfer.size),
        ]
    }

    private static func number(_ value: Int64) -> JSONValue {
        .number(Int(value))
    }

    /// A message object: the fields of ``OutputKind/messageFields``.
    static func fields(of message: StoredMessage) -> [String: JSONValue] {
        [
            "id": .string(message.id), "from": .string(message.sender), "to": .string(message.recipient),
            "text": .string(message.body), "time": .string(isoTime(message.sentAt)),
            "direction": .string(message.direction.rawValue), "delivery": JSONValue(message.delivery?.rawValue),
            "action": .bool(message.isAction), "number": message.number > 0 ? .number(message.number) : .null,
            "reply_to": JSONValue(message.replyTo), "edited": .bool(message.isEdited), "deleted": .bool(message.isDeleted),
            "original": JSONValue(message.original),
        ]
    }

    private static func requests(_ requests: [FriendRequest]) -> JSONValue {
        .array(
            requests.map { request in
                .object([
                    "id": .string(request.peer), "fingerprint": .string(request.fingerprint),
                    "time": .string(isoTime(request.createdAt)),
                ])
            })
    }

    private static func fields(of spec: CommandSpec) -> [String: JSONValue] {
        ["name": .string(spec.name), "usage": .string(spec.usage), "summary": .string(spec.summary)]
    }

    /// ISO 8601 in UTC with milliseconds: `2025-01-31T09:05:00.250Z`.
    static func isoTime(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
