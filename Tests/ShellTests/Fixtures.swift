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

    /// Bob's message as his edit or delete left it.
    static func changed(_ body: String?) -> StoredMessage {
        var message = incoming(body ?? "")
        message.isEdited = body != nil
        message.isDeleted = body == nil
        return message
    }

    static let friends = [
        ChatEngine.Friend(id: "bob", fingerprint: fingerprint, online: true, unread: 3),
        ChatEngine.Friend(id: "carol", fingerprint: fingerprint, online: false, unread: 0),
    ]

    static let request = FriendRequest(peer: "dave", direction: .incoming, fingerprint: fingerprint, createdAt: now)
    static let sentRequest = FriendRequest(peer: "erin", direction: .outgoing, fingerprint: fingerprint, createdAt: yesterday)

    static func transfer(
        _ direction: FileTransfer.Direction = .incoming, state: FileTransfer.State, bytes: Int64 = 0
    ) -> FileTransfer {
        FileTransfer(
            number: 3, id: "t3", peer: "bob", direction: direction, name: "notes.txt", size: 4096, state: state,
            bytes: bytes, path: direction == .incoming ? "/home/alice/Downloads/notes.txt" : "/home/alice/notes.txt",
            sha256: String(repeating: "ab", count: 32), createdAt: now)
    }

    static let call = CallStatistics(
        peer: "bob", path: .punched, duration: .seconds(75), sentKilobitsPerSecond: 24.4, receivedKilobitsPerSecond: 23.6, loss: 0.012,
        jitter: .milliseconds(7), roundTripTime: .milliseconds(41), jitterBufferDepth: .milliseconds(60),
        sourceEnded: false, echoCancellation: true)

    /// At least one event of every kind the shell registers (`OutputRendererTests` checks that none is missing).
    static let events: [EngineEvent] = [
        .session(.loggedIn(user: "alice", registered: true)),
        .session(.loggedOut(user: "alice")),
        .session(.locator(connected: false, detail: "connection reset")),
        .session(.locatorMoved(address: "b.example:8000 (192.0.2.7)")),
        .session(.presence(user: "bob", online: true)),
        .session(.presence(user: "bob", online: true, path: PeerPath(kind: .relayed, roundTrip: .milliseconds(23)))),
        .session(.pathChanged(user: "bob", from: .relayed, to: PeerPath(kind: .punched, roundTrip: .milliseconds(12)))),
        .session(.error("cannot reach bob: timed out")),
        .session(.securityWarning("bob presented a different certificate")),
        .friends(.request(from: "dave", fingerprint: fingerprint)),
        .friends(.added(id: "bob")),
        .friends(.removed(id: "bob")),
        .messaging(.message(incoming("hello world"))),
        .messaging(.delivered(to: "bob", id: "m-out")),
        .messaging(.edited(changed("see you at eleven"))),
        .messaging(.deleted(changed(nil))),
        .away(.changed(user: "bob", reason: "lunch")),
        .away(.changed(user: "bob", reason: nil)),
        .transfers(.offer(transfer(state: .offered))),
        .transfers(.offer(transfer(state: .receiving))),
        .transfers(.progress(transfer(.outgoing, state: .sending, bytes: 1024), bytesPerSecond: 2048)),
        .transfers(.received(transfer(state: .done, bytes: 4096))),
        .transfers(.sent(transfer(.outgoing, state: .done, bytes: 4096))),
        .transfers(.failed(transfer(state: .failed, bytes: 1024), reason: "the hash does not match")),
        .transfers(.restarted(transfer(state: .receiving), reason: "the part does not match")),
        .transfers(.cancelled(transfer(.outgoing, state: .cancelled), reason: "declined by bob")),
        .groups(.created(group: "#team", owner: "alice", members: ["alice", "bob"])),
        .groups(.message(group: "#team", message: incoming("hi all"))),
        .groups(.memberJoined(group: "#team", member: "carol")),
        .groups(.memberLeft(group: "#team", member: "carol")),
        .groups(.updated(group: "#team", owner: "bob", version: 3)),
        .groups(.messageEdited(group: "#team", message: changed("hi everyone"))),
        .groups(.messageDeleted(group: "#team", message: changed(nil))),
        .calls(.incoming(from: "bob")),
        .calls(.ringing(peer: "bob")),
        .calls(.started(peer: "bob", path: .punched)),
        .calls(.ended(peer: "bob", reason: .hungUp, duration: .seconds(75))),
        .calls(.stats(call)),
        .receipts(.read(by: "bob", upTo: "m-out")),
        .receipts(.typing(user: "bob", active: true)),
        .receipts(.typing(user: "bob", active: false)),
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
            .query(
                id: "bob", address: PeerAddress(host: "192.0.2.7", port: 5000, fingerprint: fingerprint),
                path: PeerPath(kind: .lan, roundTrip: .milliseconds(2))),
            .history(with: "bob", messages: [incoming("hi"), outgoing("hello")]),
            .history(with: "bob", messages: []),
            .history(with: "bob", messages: [outgoing("hello"), incoming("hi")], readUpTo: "m-out"),
            .search(query: "hel", messages: [incoming("hi"), outgoing("hello")]),
            .search(query: "nothing", messages: []),
            .whoami(user: "alice", fingerprint: fingerprint, peerPort: 5000, locator: "localhost:7777"),
            .whoami(user: "alice", fingerprint: fingerprint, peerPort: nil, locator: "localhost:7777"),
            .status(user: "alice", locatorConnected: true, peerPort: 5000, friendsOnline: 1, friends: 2, queued: 3),
            .status(user: nil, locatorConnected: false, peerPort: nil, friendsOnline: 0, friends: 0, queued: 0),
            .info("logged out\nsee you"),
            .help(CommandSpec.all),
            .commandHelp(CommandSpec.msg),
            .error("bob is not your friend: send a request with /add bob"),
        ]
}
