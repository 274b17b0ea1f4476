import ChatEngine
import ChatIdentity
import ChatWire
import Testing
import TestSupport

/// Whether an event is a receipt or typing event (a named function: the same closure inside and
/// outside `#expect` trips the compiler).
@Sendable func isReceipt(_ event: EngineEvent) -> Bool {
    if case .receipts = event { true } else { false }
}

/// Read receipts and typing between two real engines: shown only when both friends share them,
/// never for a group, and refused (and counted) from anyone else.
@Suite("ChatEngine: read receipts and typing")
struct ChatEngineReceiptsTests {
    static func sharing(_ configuration: inout EngineConfiguration) {
        configuration.parts.receipts.readReceipts = true
        configuration.parts.receipts.typing = true
    }

    @Test("two friends who share receipts: the writer learns how far the reader read, also after a restart")
    func readReceipts() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice", configure: Self.sharing)
            let bob = try await network.user("bob")
            try await befriend(alice, bob)
            // bob turns them on while already connected: alice hears his choice now.
            await bob.engine.shareReceipts(readReceipts: true, typing: false)
            let first = try await alice.engine.send("one", to: "bob").id
            let second = try await alice.engine.send("two", to: "bob").id
            #expect(await bob.events.first { $0.message?.id == second } != nil)
            #expect(try await alice.engine.readMark(of: "bob") == nil)

            try await bob.engine.markRead("alice")
            let read = await alice.events.first(where: isReceipt)
            #expect(read == .receipts(.read(by: "bob", upTo: second)))
            #expect(try await alice.engine.readMark(of: "bob") == second)
            #expect(first != second)

            // Reading again with nothing new says nothing new.
            let mark = await alice.events.mark()
            try await bob.engine.markRead("alice")
            let third = try await alice.engine.send("three", to: "bob").id
            #expect(await bob.events.first { $0.message?.id == third } != nil)
            try await bob.engine.markRead("alice")
            #expect(await alice.events.first(after: mark, where: isReceipt) == .receipts(.read(by: "bob", upTo: third)))
            #expect(await alice.events.count(after: mark, where: isReceipt) == 1)

            let aliceAgain = try await network.restart(alice)
            #expect(try await aliceAgain.engine.readMark(of: "bob") == third, "the mark is kept on disk")
            #expect(await alice.engine.refusedReceipts == 0)
        }
    }

    @Test("two friends who share typing: it shows while keys come, and stops when the line is cleared or keys stop")
    func typing() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice", configure: Self.sharing)
            let bob = try await network.user("bob") { configuration in
                Self.sharing(&configuration)
                configuration.parts.receipts.typingTimeout = .seconds(1)
            }
            try await befriend(alice, bob)
            #expect(await Self.typeUntilShown(bob, to: alice), "alice never saw bob typing")
            await bob.engine.typing(to: "alice", active: false)
            #expect(await alice.events.first { $0 == .receipts(.typing(user: "bob", active: false)) } != nil)

            // One key, then none: bob's side says it stopped after its timeout (1 s here).
            let mark = await alice.events.mark()
            await bob.engine.typing(to: "alice", active: true)
            #expect(await alice.events.first(after: mark) { $0 == .receipts(.typing(user: "bob", active: true)) } != nil)
            #expect(await alice.events.first(after: mark) { $0 == .receipts(.typing(user: "bob", active: false)) } != nil)
            #expect(await alice.engine.refusedReceipts == 0)
        }
    }

    @Test("a mark read while the writer was away reaches them on the next connection")
    func readWhileAway() async throws {
        try await TestNetwork.run { network in
            let (alice, bob) = try await Self.sharingFriends(network)
            let first = try await alice.engine.send("before I go", to: "bob").id
            #expect(await bob.events.first { $0.message?.id == first } != nil)
            await alice.engine.close()
            #expect(await bob.events.first { $0 == .session(.presence(user: "alice", online: false)) } != nil)
            try await bob.engine.markRead("alice")  // nobody to tell now

            let aliceAgain = try await network.user("alice", configure: Self.sharing)
            #expect(try await aliceAgain.engine.readMark(of: "bob") == nil)
            let second = try await aliceAgain.engine.send("back", to: "bob").id
            #expect(await bob.events.first { $0.message?.id == second } != nil)
            // The connection the message made carries both sides' choices, and bob's mark with them.
            #expect(await aliceAgain.events.first(where: isReceipt) == .receipts(.read(by: "bob", upTo: first)))
            #expect(try await aliceAgain.engine.readMark(of: "bob") == first)
        }
    }

    @Test("turning typing off stops the indicator on the friend's side at once, and sends no more")
    func typingTurnedOff() async throws {
        try await TestNetwork.run { network in
            // Timers far longer than the wait for an event: only bob's word can stop the indicator.
            func sharingSlowly(_ configuration: inout EngineConfiguration) {
                Self.sharing(&configuration)
                configuration.parts.receipts.typingTimeout = .seconds(600)
            }
            let alice = try await network.user("alice", configure: sharingSlowly)
            let bob = try await network.user("bob", configure: sharingSlowly)
            try await befriend(alice, bob)
            #expect(await Self.typeUntilShown(bob, to: alice), "alice never saw bob typing")
            await bob.engine.shareReceipts(readReceipts: true, typing: false)
            #expect(await alice.events.first { $0 == .receipts(.typing(user: "bob", active: false)) } != nil)
            let afterOff = await alice.events.mark()
            await bob.engine.typing(to: "alice", active: true)
            let marker = try await bob.engine.send("typed with typing off", to: "alice").id
            #expect(await alice.events.first { $0.message?.id == marker } != nil)
            #expect(await alice.events.count(after: afterOff, where: isReceipt) == 0)
        }
    }

    @Test("when only one friend shares them, neither side sends or shows receipts or typing")
    func oneSided() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice", configure: Self.sharing)
            let bob = try await network.user("bob")
            try await befriend(alice, bob)
            let toBob = try await alice.engine.send("hi bob", to: "bob").id
            #expect(await bob.events.first { $0.message?.id == toBob } != nil)
            try await bob.engine.markRead("alice")
            await bob.engine.typing(to: "alice", active: true)
            let toAlice = try await bob.engine.send("hi alice", to: "alice").id
            #expect(await alice.events.first { $0.message?.id == toAlice } != nil)
            try await alice.engine.markRead("bob")
            for _ in 0..<3 { await alice.engine.typing(to: "bob", active: true) }
            // Frames are handled in order per connection: once these arrive, whatever came before has.
            let lastToBob = try await alice.engine.send("bye", to: "bob").id
            #expect(await bob.events.first { $0.message?.id == lastToBob } != nil)
            let lastToAlice = try await bob.engine.send("bye", to: "alice").id
            #expect(await alice.events.first { $0.message?.id == lastToAlice } != nil)

            #expect(await alice.events.count(where: isReceipt) == 0)
            #expect(await bob.events.count(where: isReceipt) == 0)
            #expect(try await alice.engine.readMark(of: "bob") == nil)
            #expect(try await bob.engine.readMark(of: "alice") == nil)
            // Not refused: never sent.
            #expect(await alice.engine.refusedReceipts == 0)
            #expect(await bob.engine.refusedReceipts == 0)
        }
    }

    @Test("a group text is never receipted, and typing to a group tells nobody")
    func groups() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice", configure: Self.sharing)
            let bob = try await network.user("bob", configure: Self.sharing)
            let carol = try await network.user("carol", configure: Self.sharing)
            try await befriend(alice, bob)
            try await befriend(alice, carol)
            let group = try await alice.engine.createGroup("team", members: ["bob", "carol"])
            #expect(await bob.events.first { $0.groupCreated != nil } != nil)
            let text = try await alice.engine.sendToGroup("standup at ten", group: group.shownName).id
            #expect(await bob.events.first { $0.groupMessage?.message.id == text } != nil)
            _ = try await bob.engine.groupHistory("#team", limit: 10)  // bob reads the group
            await bob.engine.typing(to: "#team", active: true)
            await alice.engine.typing(to: "#team", active: true)

            let direct = try await alice.engine.send("and you?", to: "bob").id
            #expect(await bob.events.first { $0.message?.id == direct } != nil)
            try await bob.engine.markRead("alice")
            #expect(await alice.events.first(where: isReceipt) == .receipts(.read(by: "bob", upTo: direct)))
            #expect(await alice.events.count(where: isReceipt) == 1, "only the direct message is receipted")
            #expect(await carol.events.count(where: isReceipt) == 0)
            #expect(await bob.events.count(where: isReceipt) == 0)
        }
    }

    @Test("receipts and typing from a friend who did not opt in, or about a message never sent to them, are refused and counted")
    func hostileFriend() async throws {
        try await TestNetwork.run { network in
            let scene = try await ChatEngineHostilePeerTests.Scene.make(network, configureAlice: Self.sharing)
            try await scene.befriendMallory()
            let alice = scene.alice
            let toMallory = try await alice.engine.send("hello mallory", to: "mallory").id
            #expect(await scene.mallory.received.first { $0.id == toMallory } != nil)
            let toBob = try await alice.engine.send("hello bob", to: "bob").id

            // mallory has not said she shares anything.
            try scene.mallory.send(Envelope(type: .read, source: "mallory", target: "alice", data: toMallory))
            try scene.mallory.send(Envelope(type: .typing, source: "mallory", target: "alice", data: "active"))
            try await Self.marker("first", from: scene)
            #expect(await alice.engine.refusedReceipts == 2)

            // Now she does, but names a message alice sent to bob, and one that does not exist.
            try scene.mallory.send(Envelope(type: .receiptChoices, source: "mallory", target: "alice", data: "receipts,typing"))
            try scene.mallory.send(Envelope(type: .read, source: "mallory", target: "alice", data: toBob))
            try scene.mallory.send(Envelope(type: .read, source: "mallory", target: "alice", data: "made-up"))
            try await Self.marker("second", from: scene)
            #expect(await alice.engine.refusedReceipts == 4)
            #expect(await alice.events.count(where: isReceipt) == 0)
            #expect(try await alice.engine.readMark(of: "mallory") == nil)

            // Her real receipt and typing are shown: the refusals above were for what they said.
            try scene.mallory.send(Envelope(type: .read, source: "mallory", target: "alice", data: toMallory))
            try scene.mallory.send(Envelope(type: .typing, source: "mallory", target: "alice", data: "active"))
            #expect(await alice.events.first { $0 == .receipts(.read(by: "mallory", upTo: toMallory)) } != nil)
            #expect(await alice.events.first { $0 == .receipts(.typing(user: "mallory", active: true)) } != nil)
            #expect(await alice.engine.refusedReceipts == 4)
            await scene.close()
        }
    }

    /// alice and bob, friends, both sharing receipts and typing.
    static func sharingFriends(_ network: TestNetwork) async throws -> (alice: TestUser, bob: TestUser) {
        let alice = try await network.user("alice", configure: sharing)
        let bob = try await network.user("bob", configure: sharing)
        try await befriend(alice, bob)
        return (alice, bob)
    }

    /// bob types to alice until she sees it: his first keys ask for her choices (they became friends
    /// on a connection that was already open), a later one is shown.
    static func typeUntilShown(_ bob: TestUser, to alice: TestUser) async -> Bool {
        await eventually {
            await bob.engine.typing(to: "alice", active: true)
            return await alice.events.count { $0 == .receipts(.typing(user: "bob", active: true)) } > 0
        }
    }

    /// A message from mallory, now alice's friend: once alice shows it, everything mallory sent before it
    /// on the connection has been handled (frames are handled in order).
    static func marker(_ text: String, from scene: ChatEngineHostilePeerTests.Scene) async throws {
        try scene.mallory.send(Envelope(type: .message, source: "mallory", target: "alice", data: text))
        try #require(await scene.alice.events.first { $0.message?.body == text } != nil, "alice stopped handling mallory")
    }
}
