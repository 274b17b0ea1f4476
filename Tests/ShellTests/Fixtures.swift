import ChatWire
import Foundation
import Shell

@testable import ChatEngine

/// Sample values for the rendering and matching suites: fixed times, one output of every kind.
enum Fixtures {
    /// 2025-01-31 09:05:00 UTC.
    static let now = Date(timeIntervalSince1970: 1_738_314_300)
    static let yesterday = now.addingTimeInterval(-86_400)
    static let fingerprint = String(repeating: "3f2a91bc", count: 8)

    /// Alice talking to bob.
    static let renderer = OutputRenderer(
        color: false, me: "alice", conversation: "bob", timeZone: TimeZone(identifier: "UTC")!, now: { now })
    static let colorRenderer = OutputRenderer(
        color: true, me: "alice", conversation: "bob", timeZone: TimeZone(identifier: "UTC")!, now: { now })

    static func incoming(_ body: String, from sender: String = "bob", at date: Date = now) -> StoredMessage {
        StoredMessage.incoming(id: "m-in", from: sender, to: "alice", body: body, sentAt: date, storedAt: date)
    }

    static func outgoing(
        _ body: String, to recipient: String = "bob", at date: Date = now, delivery: StoredMessage.DeliveryState = .queued
    ) -> StoredMessage {
        var message = StoredMessage.outgoing(id: "m-out", from: "alice", to: recipient, body: body, sentAt: date)
        message.delivery = delivery
        return message
    }

    static let friends = [
        ChatEngine.Friend(id: "bob", fingerprint: fingerprint, online: true, unread: 3),
        ChatEngine.Friend(id: "carol", fingerprint: fingerprint, online: false, unread: 0),
    ]

    static let request = FriendRequest(peer: "dave", direction: .incoming, fingerprint: fingerprint, createdAt: now)
    static let sentRequest = FriendRequest(peer: "erin", direction: .outgoing, fingerprint: fingerprint, createdAt: yesterday)

    static let events: [EngineEvent] = [
        .loggedIn(user: "alice", registered: true),
        .loggedOut(user: "alice"),
        .locator(connected: false, detail: "connection reset"),
        .presence(user: "bob", online: true),
        .friendRequest(from: "dave", fingerprint: fingerprint),
        .friendAdded(id: "bob"),
        .friendRemoved(id: "bob"),
        .message(incoming("hello world")),
        .delivered(to: "bob", id: "m-out"),
        .error("cannot reach bob: timed out"),
        .securityWarning("bob presented a different certificate"),
    ]

    /// At least one output of every case, and every engine event.
    static let outputs: [ShellOutput] =
        events.map(ShellOutput.event) + [
            .sent(outgoing("delivered text", delivery: .delivered)),
            .sent(outgoing("queued text", delivery: .queued)),
            .friends(friends),
            .friends([]),
            .requests(incoming: [request], outgoing: [sentRequest]),
            .requests(incoming: [], outgoing: []),
            .query(id: "bob", address: PeerAddress(host: "192.0.2.7", port: 5000, fingerprint: fingerprint)),
            .query(id: "bob", address: PeerAddress(host: "192.0.2.7", port: nil, fingerprint: nil)),
            .query(id: "bob", address: nil),
            .history(with: "bob", messages: [incoming("hi"), outgoing("hello")]),
            .history(with: "bob", messages: []),
            .search(query: "hel", messages: [incoming("hi"), outgoing("hello")]),
            .search(query: "nothing", messages: []),
            .whoami(user: "alice", fingerprint: fingerprint, peerPort: 5000, locator: "localhost:7777"),
            .whoami(user: "alice", fingerprint: fingerprint, peerPort: nil, locator: "localhost:7777"),
            .status(user: "alice", locatorConnected: true, peerPort: 5000, friendsOnline: 1, friends: 2, queued: 3),
            .status(user: nil, locatorConnected: false, peerPort: nil, friendsOnline: 0, friends: 0, queued: 0),
            .info("logged out\nsee you"),
            .help(CommandSpec.all),
            .commandHelp(CommandName.msg.spec),
            .error("bob is not your friend: send a request with /add bob"),
        ]
}
