import Foundation

/// One file on its way to or from a friend, as the user sees it (`/files`) and as events carry it.
public struct FileTransfer: Sendable, Hashable {
    public enum Direction: String, Sendable, Hashable {
        case incoming
        case outgoing
    }

    public enum State: String, Sendable, Hashable, CaseIterable {
        /// Outgoing: offered, no answer yet (or the friend is offline). Incoming: waits for `/get`.
        case offered
        /// Outgoing: the friend keeps the offer and has not taken it yet.
        case waiting
        case sending
        case receiving
        /// Interrupted (connection lost, a restart); goes on by itself when the friend is back.
        case paused
        case done
        case declined
        case cancelled
        case failed

        /// Whether nothing more happens to the transfer.
        public var isFinal: Bool {
            switch self {
            case .done, .declined, .cancelled, .failed: true
            case .offered, .waiting, .sending, .receiving, .paused: false
            }
        }
    }

    /// The local number, which `/get`, `/decline` and `/cancel` take.
    public var number: Int
    /// The id both sides use for it.
    public var id: String
    public var peer: String
    public var direction: Direction
    /// The file's name: the sanitised one for an incoming file.
    public var name: String
    public var size: Int64
    public var state: State
    /// How many bytes are through (received and written, or sent).
    public var bytes: Int64
    /// Outgoing: the file sent. Incoming: where the file lands (with `.part` until verified).
    public var path: String?
    public var sha256: String?
    /// Why it failed or was cancelled.
    public var reason: String?
    public var createdAt: Date
    /// While it runs: bytes per second (not stored).
    public var bytesPerSecond: Double?

    public init(
        number: Int, id: String, peer: String, direction: Direction, name: String, size: Int64, state: State,
        bytes: Int64 = 0, path: String? = nil, sha256: String? = nil, reason: String? = nil, createdAt: Date = Date()
    ) {
        self.number = number
        self.id = id
        self.peer = peer
        self.direction = direction
        self.name = name
        self.size = size
        self.state = state
        self.bytes = bytes
        self.path = path
        self.sha256 = sha256
        self.reason = reason
        self.createdAt = createdAt
    }

    /// The file being written while an incoming transfer runs.
    var partPath: String? { path.map { $0 + ".part" } }
}
