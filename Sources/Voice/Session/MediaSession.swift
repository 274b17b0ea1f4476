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
    private var arrivalPhases: [Int64] = []
    private var quietFrames = 0
    private var expectedLossPercent: Int
    private var lossReportedAt: (received: Int, newest: UInt32?) = (0, nil)
    private var recentPeakPower = 0.0
    private var playoutPhase: Duration = .zero

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
        expectedLossPercent = configuration.opus.expectedLossPercent
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
                group.addTask { try await self.captureLoop() }
                group.addTask { try await self.playoutLoop() }
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

    /// The capture clock: a frame every 20 ms, on deadlines from the start, so a late wake-up
    /// catches up instead of drifting.
    private func captureLoop() async throws {
        guard let started else { return }
        var ticks = 0
        let pingEvery = max(1, Int(configuration.pingInterval / AudioFrame.duration))
        while true {
            try capture()
            if ticks % pingEvery == 0 {
                try send(.ping(nanoseconds: nanoseconds(clock.now - started), lossPercent: recentLossPercent()))
            }
            ticks += 1
            try await clock.sleep(until: started + AudioFrame.duration * ticks)
        }
    }

    /// The playout clock: also every 20 ms, so a WAV sink gets one frame per 20 ms of call. Once
    /// the peer's packets have shown when in the 20 ms they arrive, its ticks move (once) to just
    /// after that, so a packet never waits most of a frame for its turn.
    private func playoutLoop() async throws {
        guard let started else { return }
        var ticks = 0
        while true {
            try play()
            ticks += 1
            try await clock.sleep(until: started + playoutPhase + AudioFrame.duration * ticks)
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
        try sink.write(nextPlayoutFrame())
    }

    private func nextPlayoutFrame() -> [Int16] {
        switch jitterBuffer.playout() {
        case .packet(let packet):
            guard let decoded = try? decoder.decode(packet) else {
                counters.framesConcealed += 1
                return decoder.conceal()
            }
            counters.framesDecoded += 1
            quietFrames = isQuiet(decoded) ? quietFrames + 1 : 0
            // Only well inside a pause (not a quiet consonant) is a frame dropped unheard.
            if jitterBuffer.shrinks(droppingQuietFrame: quietFrames >= 3) { return nextPlayoutFrame() }
            return decoded
        case .recover(let next):
            guard let recovered = try? decoder.recover(from: next) else {
                counters.framesConcealed += 1
                return decoder.conceal()
            }
            counters.framesRecovered += 1
            return recovered
        case .conceal:
            counters.framesConcealed += 1
            return decoder.conceal()
        case .silence:
            return AudioFrame.silence
        }
    }

    /// 40 dB below the loudest recent frame (or digital near-silence): a pause between words.
    private func isQuiet(_ frame: [Int16]) -> Bool {
        let power = frame.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(frame.count)
        // The reference level decays by half in about 3 seconds, following the talker.
        recentPeakPower = max(power, recentPeakPower * 0.995)
        return power < max(10 * 10, recentPeakPower / 10_000)
    }

    /// The share of the peer's frames lost since the last report, for the peer's encoder.
    private func recentLossPercent() -> UInt8 {
        defer { lossReportedAt = (counters.framesReceived, newestFrameReceived) }
        guard let newest = newestFrameReceived else { return 0 }
        let expected = lossReportedAt.newest.map { Int(newest) - Int($0) } ?? Int(newest - (firstFrameReceived ?? newest)) + 1
        let received = counters.framesReceived - lossReportedAt.received
        guard expected > 0 else { return 0 }
        return UInt8(max(0, min(100, (expected - received) * 100 / expected)))
    }

    /// Opus spends on FEC what the peer's loss calls for: nothing on a clean path, where the
    /// bits are worth more as quality. After a loss the protection decays over a few seconds
    /// rather than vanishing before the next burst.
    private func followReportedLoss(_ percent: Int) {
        let planned = max(min(percent + percent / 2, Self.maximumExpectedLoss), expectedLossPercent / 2)
        guard planned != expectedLossPercent, (try? encoder.setExpectedLoss(percent: planned)) != nil else { return }
        expectedLossPercent = planned
    }

    private static let maximumExpectedLoss = 30

    /// Where in its 20 ms the peer's audio arrives, learnt from the first packets.
    private func learnArrivalPhase(_ arrival: Duration) {
        guard arrivalPhases.count < Self.phaseSamples else { return }
        let frameNanoseconds = Int64(AudioFrame.duration.seconds * 1e9)
        arrivalPhases.append(Int64(arrival.seconds * 1e9) % frameNanoseconds)
        guard arrivalPhases.count == Self.phaseSamples else { return }
        // Phases wrap around at 20 ms: take the median relative to the first one.
        let first = arrivalPhases[0]
        let relative = arrivalPhases.map { ($0 - first + frameNanoseconds + frameNanoseconds / 2) % frameNanoseconds - frameNanoseconds / 2 }
        let median = relative.sorted()[relative.count / 2] + first
        let margin = Int64(Self.playoutMargin.seconds * 1e9)
        playoutPhase = .nanoseconds(((median + margin) % frameNanoseconds + frameNanoseconds) % frameNanoseconds)
    }

    private static let phaseSamples = 25
    private static let playoutMargin = Duration.milliseconds(2)

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
            learnArrivalPhase(now)
        case .ping(let nanoseconds, let lossPercent):
            try? send(.pong(nanoseconds: nanoseconds))
            followReportedLoss(Int(lossPercent))
        case .pong(let sent):
            let roundTrip = Duration.nanoseconds(Int64(clamping: self.nanoseconds(now)) - Int64(clamping: sent))
            if roundTrip >= .zero { counters.roundTripTime = roundTrip }
        }
    }

    private func nanoseconds(_ duration: Duration) -> UInt64 {
        UInt64(max(0, duration.seconds * 1e9))
    }
}
