import Logging
import NIOCore

/// The media of one call: captures, encodes, seals and sends a frame every 20 ms, and plays one
/// every 20 ms from what the peer sent, through the jitter buffer and Opus FEC/concealment.
///
/// The owner (the Calls part) binds a `MediaSocket`, exchanges its port and a key with the peer
/// over the pinned TLS connection, then runs the session as a child task: cancelling that task
/// ends the media, closes the socket and finishes the sink.
public actor MediaSession {
    private let socket: MediaSocket
    private let remote: SocketAddress
    private let cipher: MediaCipher
    private let configuration: MediaSessionConfiguration
    private let logger: Logger
    private var source: any AudioSource
    private var sink: any AudioSink
    private let encoder: OpusFrameEncoder
    private let decoder: OpusFrameDecoder
    private var jitterBuffer: JitterBuffer
    private var replayWindow = ReplayWindow()
    private var impairment: (settings: NetworkImpairment, generator: SeededGenerator)?
    private let clock = ContinuousClock()
    private var started: ContinuousClock.Instant?
    private var ended: ContinuousClock.Instant?
    private var nextSequence: UInt32 = 0
    private var nextFrame: UInt32 = 0
    private var firstFrameReceived: UInt32?
    private var newestFrameReceived: UInt32?
    private var counters = MediaStatistics()

    /// - Parameters:
    ///   - remote: the peer's media address: its IP address as the TLS connection sees it, and the
    ///     UDP port from its offer or answer.
    ///   - key: the call's key; one session per key, never reused.
    ///   - role: `.caller` on the side that offered the call, `.callee` on the other.
    public init(
        socket: MediaSocket, remote: SocketAddress, key: MediaKey, role: MediaRole,
        source: sending any AudioSource, sink: sending any AudioSink,
        configuration: MediaSessionConfiguration = MediaSessionConfiguration(),
        logger: Logger = Logger(label: "p2pchat.voice")
    ) throws(OpusError) {
        self.socket = socket
        self.remote = remote
        cipher = MediaCipher(key: key, role: role)
        self.configuration = configuration
        self.logger = logger
        self.source = source
        self.sink = sink
        encoder = try OpusFrameEncoder(settings: configuration.opus)
        decoder = try OpusFrameDecoder()
        jitterBuffer = JitterBuffer(configuration: configuration.jitterBuffer)
        impairment = configuration.impairment.map { ($0, SeededGenerator(seed: $0.seed)) }
    }

    /// Runs until cancelled (returning normally) or until the audio source or sink fails
    /// (throwing `AudioError`). Either way the socket is closed and the sink finished.
    public func run() async throws {
        started = clock.now
        defer {
            ended = clock.now
            try? sink.finish()
        }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.tick() }
                group.addTask {
                    for await datagram in self.socket.datagrams {
                        await self.receive(Array(buffer: datagram.data))
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        } catch is CancellationError {
        } catch {
            await socket.close()
            throw error
        }
        await socket.close()
    }

    public var statistics: MediaStatistics {
        var statistics = counters
        statistics.duration = started.map { (ended ?? clock.now) - $0 } ?? .zero
        if let first = firstFrameReceived, let newest = newestFrameReceived {
            let expected = Double(newest - first) + 1
            statistics.loss = max(0, 1 - Double(counters.framesReceived) / expected)
        }
        statistics.jitter = .seconds(jitterBuffer.jitter)
        statistics.jitterBufferDepth = AudioFrame.duration * jitterBuffer.depth
        statistics.jitterBufferTarget = AudioFrame.duration * jitterBuffer.targetDepth
        statistics.framesLate = jitterBuffer.lateFrames
        statistics.framesDiscarded = jitterBuffer.discardedFrames
        return statistics
    }

    /// The 20 ms clock: deadlines from the start, so a late wake-up catches up instead of
    /// drifting, and a WAV sink gets exactly one frame per 20 ms of call.
    private func tick() async throws {
        guard let started else { return }
        var ticks = 0
        let pingEvery = max(1, Int(configuration.pingInterval / AudioFrame.duration))
        while true {
            try capture()
            try play()
            if ticks % pingEvery == 0 { try send(.ping(nanoseconds: nanoseconds(clock.now - started))) }
            ticks += 1
            try await clock.sleep(until: started + AudioFrame.duration * ticks)
        }
    }

    private func capture() throws {
        guard !counters.sourceEnded else { return }
        guard let frame = try source.read() else {
            counters.sourceEnded = true
            return
        }
        try send(.audio(frame: nextFrame, packet: encoder.encode(frame)))
        nextFrame += 1
        counters.framesSent += 1
    }

    private func play() throws {
        let frame: [Int16]
        switch jitterBuffer.playout() {
        case .packet(let packet):
            if let decoded = try? decoder.decode(packet) {
                frame = decoded
                counters.framesDecoded += 1
            } else {
                frame = decoder.conceal()
                counters.framesConcealed += 1
            }
        case .recover(let next):
            if let recovered = try? decoder.recover(from: next) {
                frame = recovered
                counters.framesRecovered += 1
            } else {
                frame = decoder.conceal()
                counters.framesConcealed += 1
            }
        case .conceal:
            frame = decoder.conceal()
            counters.framesConcealed += 1
        case .silence:
            frame = AudioFrame.silence
        }
        try sink.write(frame)
    }

    private func send(_ payload: MediaPayload) throws(MediaSessionError) {
        guard nextSequence < .max else { throw .sequenceExhausted }
        let datagram = cipher.seal(payload, sequence: nextSequence)
        nextSequence += 1
        if var impairment {
            let draw = Double.random(in: 0..<1, using: &impairment.generator)
            self.impairment = impairment
            if draw < impairment.settings.loss {
                counters.datagramsDropped += 1
                return
            }
            if draw < impairment.settings.loss + impairment.settings.delayed {
                counters.bytesSent += datagram.count
                socket.send(datagram, to: remote, after: impairment.settings.delay)
                return
            }
        }
        counters.bytesSent += datagram.count
        socket.send(datagram, to: remote)
    }

    private func receive(_ datagram: [UInt8]) {
        guard let started else { return }
        guard let (sequence, payload) = cipher.open(datagram) else {
            if counters.datagramsRejected == 0 { logger.debug("media datagram did not open; dropping it and any like it") }
            counters.datagramsRejected += 1
            return
        }
        guard replayWindow.accept(sequence) else {
            counters.datagramsReplayed += 1
            return
        }
        counters.bytesReceived += datagram.count
        let now = clock.now - started
        switch payload {
        case .audio(let frame, let packet):
            counters.framesReceived += 1
            firstFrameReceived = min(firstFrameReceived ?? frame, frame)
            newestFrameReceived = max(newestFrameReceived ?? frame, frame)
            jitterBuffer.insert(frame: frame, packet: packet, arrival: now.seconds)
        case .ping(let nanoseconds):
            try? send(.pong(nanoseconds: nanoseconds))
        case .pong(let sent):
            let roundTrip = Duration.nanoseconds(Int64(clamping: self.nanoseconds(now)) - Int64(clamping: sent))
            if roundTrip >= .zero { counters.roundTripTime = roundTrip }
        }
    }

    private func nanoseconds(_ duration: Duration) -> UInt64 {
        UInt64(max(0, duration.seconds * 1e9))
    }
}
