import ChatWire
import NIOCore

/// One try at a peer over one of its paths. The connection's task says when its handshake has
/// pinned the peer, then waits while the race among the peer's paths (`StaggeredDial`) decides:
/// the first attempt to get that far is kept (registered and handed back as the peer's
/// connection), every other one is dropped and closed before any part sees it.
final class DialAttempt: Sendable {
    let peer: String
    let candidate: PeerCandidate
    private let channel: any Channel
    private let handshake = DialOutcome<Void>()
    private let verdict = DialOutcome<Bool>()
    private let outcome = DialOutcome<PeerConnection>()

    init(peer: String, candidate: PeerCandidate, channel: any Channel) {
        self.peer = peer
        self.candidate = candidate
        self.channel = channel
    }

    // MARK: The connection's task

    /// The peer answered our Hello through a pinned handshake: waits for the race's verdict.
    func handshakeSucceeded() async -> Bool {
        handshake.succeed(())
        return (try? await verdict.wait { [verdict] in verdict.fail(CancellationError()) }) ?? false
    }

    func registered(_ connection: PeerConnection) {
        outcome.succeed(connection)
    }

    /// The connection ended (or never got going); whoever waits hears why.
    func failed(_ error: any Error) {
        handshake.fail(error)
        outcome.fail(error)
    }

    // MARK: The race

    /// Returns once the handshake pinned the peer; throws what ended it otherwise.
    func handshakeFinished() async throws {
        try await handshake.wait { [channel] in channel.close(promise: nil) }
    }

    /// This attempt won: the connection is registered and returned.
    func keep() async throws -> PeerConnection {
        verdict.succeed(true)
        return try await outcome.wait { [channel] in channel.close(promise: nil) }
    }

    /// Another path won, or nobody waits any more: closes this one.
    func drop() {
        verdict.succeed(false)
        channel.close(promise: nil)
    }
}
