import Foundation
import Logging
import NIOCore
import Synchronization

/// The media of one call: captures, encodes, seals and sends a frame every 20 ms, and plays one
/// every 20 ms from what the peer sent, through the jitter buffer, the copies of lost frames
/// that later datagrams carry, and Opus concealment.
///
/// The owner (the Calls part) binds a `MediaSocket`, exchanges its port and a key with the peer
/// over the pinned TLS connection, then runs the session as a child task: cancelling that task
/// (or `stop()`) ends the media, closes the socket and finishes the sink.
///
/// The 20 ms clock runs on a thread of its own and datagrams are taken on the socket's event
/// loop, so that audio keeps time however busy Swift's shared task pool is.
public final class MediaSession: Sendable {
    private let state: Mutex<MediaSessionState>
    private let socket: MediaSocket

    /// Where the media thread is; `run()` waits on `.running` to become `.done`.
    enum Runner {
        case idle
        case running(waiter: CheckedContinuation<Void, Never>?)
        case done
    }

    /// - Parameters:
    ///   - route: where the sealed datagrams go: the peer's address that answered a probe, or
    ///     the relay.
    ///   - key: the call's key; one session per key, never reused.
    ///   - role: `.caller` on the side that offered the call, `.callee` on the other.
    public init(
        socket: MediaSocket, route: MediaRoute, key: MediaKey, role: MediaRole,
        source: sending any AudioSource, sink: sending any AudioSink,
        configuration: MediaSessionConfiguration = MediaSessionConfiguration(),
        logger: Logger = Logger(label: "p2pchat.voice")
    ) throws(OpusError) {
        self.socket = socket
        let initial = MediaSessionState(
            socket: socket, route: route, cipher: MediaCipher(key: key, role: role), configuration: configuration,
            logger: logger, source: source, sink: sink, encoder: try OpusFrameEncoder(settings: configuration.opus),
            decoder: try OpusFrameDecoder(), echoCanceller: configuration.echoCancellation ? EchoCanceller() : nil, jitterBuffer: JitterBuffer(configuration: configuration.jitterBuffer),
            impairment: configuration.impairment.map(NetworkImpairment.Draws.init))
        state = Mutex(initial)
    }

    /// Runs until cancelled or stopped (returning normally), or until the audio source or sink
    /// fails (throwing `AudioError`). Either way the socket is closed and the sink finished.
    public func run() async throws {
        let startedNow = state.withLock { state -> Bool in
            guard case .idle = state.runner else { return false }
            state.started = state.clock.now
            state.runner = .running(waiter: nil)
            return true
        }
        guard startedNow else { return }
        socket.receive { [weak self] datagram, source in self?.state.withLock { $0.receive(datagram, from: source) } }
        let thread = Thread { [self] in mediaLoop() }
        thread.name = "p2pchat media"
        thread.qualityOfService = .userInteractive
        thread.start()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                state.withLock { state in
                    if case .running = state.runner {
                        state.runner = .running(waiter: continuation)
                    } else {
                        continuation.resume()
                    }
                }
            }
        } onCancel: {
            stop()
        }
        socket.receive(nil)
        await socket.close()
        if let failure = state.withLock({ $0.failure }) { throw failure }
    }

    /// A datagram from the peer that came another way than the socket (through the relay).
    public func receiveRelayed(_ datagram: [UInt8]) {
        state.withLock { $0.receive(datagram, from: nil) }
    }

    /// Ends the media at the next tick; `run()` then returns.
    public func stop() {
        state.withLock { $0.stopping = true }
    }

    public var statistics: MediaStatistics {
        state.withLock { $0.statistics }
    }

    /// Capture and playout, each on deadlines from the start so that a late wake-up catches up
    /// (in the order the ticks were due) instead of drifting, and a WAV sink gets exactly one
    /// frame per 20 ms of call. Playout has a phase of its own: once the peer's packets show
    /// when in the 20 ms they arrive, its ticks move (once) to just after that, so a packet never
    /// waits most of a frame.
    private func mediaLoop() {
        guard let started = state.withLock({ $0.started }) else { return }
        let clock = ContinuousClock()
        let pingEvery = state.withLock { max(1, Int($0.configuration.pingInterval / AudioFrame.duration)) }
        var captures = 0, playouts = 0
        while true {
            let now = clock.now
            let (stopping, phase) = state.withLock { ($0.stopping, $0.playoutPhase) }
            if stopping { break }
            let captureDue = started + AudioFrame.duration * captures
            let playoutDue = started + phase + AudioFrame.duration * playouts
            do {
                // Both due after a late wake-up: the one due first goes first, so that capture
                // and playout keep their order (an echo canceller, like a room, hears the
                // speaker's frames before the microphone frames that carry them back).
                if now >= captureDue, captureDue <= playoutDue || now < playoutDue {
                    try state.withLock { state in
                        try state.capture()
                        if captures % pingEvery == 0 { try state.sendPing() }
                    }
                    captures += 1
                } else if now >= playoutDue {
                    try state.withLock { try $0.play() }
                    playouts += 1
                } else {
                    // Short naps, so that a stop is seen within a few milliseconds.
                    Thread.sleep(forTimeInterval: min((min(captureDue, playoutDue) - now).inSeconds, 0.005))
                }
            } catch {
                state.withLock {
                    $0.logger.warning("media session stopped: \(error)")
                    $0.failure = error
                }
                break
            }
        }
        state.withLock { state in
            state.ended = state.clock.now
            try? state.sink.finish()
            if case .running(let waiter) = state.runner { waiter?.resume() }
            state.runner = .done
        }
    }
}
