import ChatWire
import Glibc
import Logging
import NIOCore
import NIOPosix

/// The running shell's control socket, `control.sock` in the user's data directory (mode 0600):
/// `p2pchat send`, `file` and `status` hand it one command line each, and it answers with what
/// the command printed and its exit status, as a script would get them.
///
/// The exchange, one connection per command: the client sends the line; the server answers
/// `out TEXT` or `err TEXT` lines, then `exit N` (0, 1 or 2, a script's statuses), and closes.
/// Only the socket's owner may use it: a client of another uid gets one `err` line and `exit 1`.
public final class ControlSocket: Sendable {
    public static let fileName = "control.sock"
    /// A command line is short; anything longer is not one.
    static let maximumLineLength = 64 << 10
    /// `p2pchat send` writes its line as soon as it connects; a client that has said nothing by
    /// then is stuck or is not ours, and would otherwise hold its connection until logout.
    public static let defaultFirstLineTimeout: Duration = .seconds(10)

    /// Runs one command line for a client and says what it printed and how it went.
    public typealias Runner = @Sendable (String) async -> ControlReply

    public let path: String
    private let server: NIOAsyncChannel<NIOAsyncChannel<String, String>, Never>
    private let firstLineTimeout: Duration

    private init(path: String, server: NIOAsyncChannel<NIOAsyncChannel<String, String>, Never>, firstLineTimeout: Duration) {
        self.path = path
        self.server = server
        self.firstLineTimeout = firstLineTimeout
    }

    /// Binds `path`, replacing a socket a crashed shell left behind, readable and writable by the
    /// owner alone.
    public static func bind(at path: String, firstLineTimeout: Duration = defaultFirstLineTimeout) async throws -> ControlSocket {
        // The socket file is created by bind(2) with the umask's mode: made 0600 from the start,
        // not chmod-ed after, so no other user can connect in between.
        let previous = umask(0o177)
        defer { umask(previous) }
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(LineFrameDecoder(maxLength: maximumLineLength)))
                    try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(LineEncoder()))
                    return try NIOAsyncChannel<String, String>(wrappingChannelSynchronously: channel)
                }
            }
        return ControlSocket(path: path, server: server, firstLineTimeout: firstLineTimeout)
    }

    /// Serves clients, each in a child task of its own, until cancelled; then the socket file is
    /// removed. Whoever started it ends it (the shell session, at logout).
    public func run(_ runner: @escaping Runner, logger: Logger) async {
        defer { unlink(path) }
        do {
            try await server.executeThenClose { clients in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await client in clients {
                        group.addTask { await self.serve(client, runner, logger: logger) }
                    }
                }
            }
        } catch {
            if !Task.isCancelled { logger.warning("the control socket stopped", metadata: ["error": "\(error)"]) }
        }
    }

    private func serve(_ client: NIOAsyncChannel<String, String>, _ runner: Runner, logger: Logger) async {
        try? await client.executeThenClose { lines, replies in
            let reply: ControlReply
            if let uid = await Self.peerUID(of: client.channel), uid != getuid() {
                logger.notice("refused a control-socket client of another user", metadata: ["uid": "\(uid)"])
                reply = ControlReply(lines: ["err the control socket takes commands only from its owner (uid \(getuid()))"], status: 1)
            } else {
                var iterator = lines.makeAsyncIterator()
                // Closing the channel ends the wait below with no line.
                let deadline = client.channel.eventLoop.scheduleTask(in: TimeAmount(firstLineTimeout)) {
                    client.channel.close(promise: nil)
                }
                defer { deadline.cancel() }
                guard let line = try await iterator.next() else { return }
                deadline.cancel()
                reply = await runner(line)
            }
            for line in reply.lines { try await replies.write(line) }
            try await replies.write("exit \(reply.status)")
        }
    }

    /// The uid of the process at the other end (`SO_PEERCRED`), nil when it cannot be read.
    private static func peerUID(of channel: any Channel) async -> uid_t? {
        guard let provider = channel as? any SocketOptionProvider else { return nil }
        let credentials: PeerCredentials? = try? await provider.unsafeGetSocketOption(
            level: NIOBSDSocket.OptionLevel(rawValue: SOL_SOCKET), name: NIOBSDSocket.Option(rawValue: SO_PEERCRED)
        ).get()
        return credentials?.uid
    }

    /// Whether a shell answers at `path` now (a file left by a crashed one does not).
    public static func isServed(at path: String) async -> Bool {
        guard let channel = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(unixDomainSocketPath: path).get()
        else { return false }
        try? await channel.close()
        return true
    }
}

/// Linux's `struct ucred`, which Swift's Glibc leaves out (it needs `_GNU_SOURCE`): what
/// `SO_PEERCRED` fills in, three 32-bit fields.
private struct PeerCredentials {
    var pid: pid_t = 0
    var uid: uid_t = 0
    var gid: gid_t = 0
}

/// What a control-socket client is told: the command's lines (`out …`, `err …`) and its exit status.
public struct ControlReply: Sendable, Equatable {
    public var lines: [String]
    public var status: Int32

    public init(lines: [String], status: Int32) {
        self.lines = lines
        self.status = status
    }
}
