import ChatWire
import GRDB

/// One feature of the engine (friends, messaging, files, groups, calls), with its own state.
///
/// The core keeps only the login session, presence and the peer connections. Everything a
/// feature does goes through this protocol: the core hands each part the envelopes of the
/// `Type`s it claims, tells it when peers connect, disconnect or come online, and asks it to
/// retry what waits. A part owns its tables (add-only migrations), its events and the public
/// commands it adds to `ChatEngine` (in a `ChatEngine+Feature.swift` file of its folder).
///
/// Adding a part is one new folder under `Parts/` and one line in `EngineParts.all`; the core's
/// code does not change. `CONTRIBUTING.md` walks through it.
protocol EnginePart: AnyObject, Sendable {
    /// The envelope `Type`s this part handles. Each `Type` belongs to exactly one part.
    static var envelopeTypes: [EnvelopeType] { get }

    /// Appends the part's tables to the store's schema. Migrations that have shipped are never
    /// edited or reordered: a change is a new migration at the end.
    static func registerMigrations(in migrator: inout DatabaseMigrator)

    /// Made once per engine; `core` outlives the part.
    init(core: ChatEngine)

    /// One envelope of a claimed `Type`, already checked: its `Source` is the connection's
    /// authenticated peer and its `Target` is this user. Called in arrival order per connection.
    func received(_ envelope: Envelope, on connection: PeerConnection) async throws

    /// Users whose presence this part needs (friends, peers owed something): the core watches
    /// them at the locator and calls `peerOnline` when they appear.
    func watchedUsers() async throws -> Set<String>

    /// The fingerprint `peer`'s certificate must have when `peer` is no friend but this part
    /// knows it (a fellow group member, as an announcement listed it); nil when the part has no say.
    /// The core consults it after the contacts, to pin a dial and to vouch for a caller.
    func expectedFingerprint(of peer: String) async -> String?

    /// A new authenticated connection; runs beside its receive loop, so it may send freely.
    func peerConnected(_ connection: PeerConnection) async
    func peerDisconnected(_ connection: PeerConnection) async
    /// `new` took over from `old`, a relayed connection that hole punching replaced and that has
    /// now closed. By default the part hears `old` disconnect and `new` connect; a part whose
    /// state must live across the move (a call) moves it instead.
    func peerMoved(from old: PeerConnection, to new: PeerConnection) async
    /// The locator reports `peer` online (again).
    func peerOnline(_ peer: String) async
    /// Try again whatever waits for a peer; called after login and then periodically.
    func retry() async
    /// A login session begins, before any peer can connect. Work that outlives a call (flushes,
    /// timers, announcements, media) is started in `scope`, the session's task tree, never in a
    /// `Task {}` of the part's own: the session's end cancels and awaits all of it.
    func sessionStarted(_ scope: SessionScope) async
    /// The session ended: forget what belonged to it (connections, waiters). Stored state stays.
    func sessionEnded() async
}

extension EnginePart {
    static func registerMigrations(in migrator: inout DatabaseMigrator) {}
    func watchedUsers() async throws -> Set<String> { [] }
    func expectedFingerprint(of peer: String) async -> String? { nil }
    func peerConnected(_ connection: PeerConnection) async {}
    func peerDisconnected(_ connection: PeerConnection) async {}
    func peerMoved(from old: PeerConnection, to new: PeerConnection) async {
        await peerDisconnected(old)
        await peerConnected(new)
    }
    func peerOnline(_ peer: String) async {}
    func retry() async {}
    func sessionStarted(_ scope: SessionScope) async {}
    func sessionEnded() async {}
}
