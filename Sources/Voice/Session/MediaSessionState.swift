import Logging
import NIOCore

/// Everything a media session changes as it runs, behind the session's lock: the media thread's
/// ticks and the event loop's datagrams take turns on it.
struct MediaSessionState {
    let socket: MediaSocket
    let remote: SocketAddress
    let cipher: MediaCipher
    let configuration: MediaSessionConfiguration
    let logger: Logger
    var source: any AudioSource
    var sink: any AudioSink
    let encoder: OpusFrameEncoder
    let decoder: OpusFrameDecoder
    var jitterBuffer: JitterBuffer
    var replayWindow = ReplayWindow()
    var impairment: (settings: NetworkImpairment, generator: SeededGenerator)?
    let clock = ContinuousClock()
    var started: ContinuousClock.Instant?
    var ended: ContinuousClock.Instant?
    var nextSequence: UInt32 = 0
    var nextFrame: UInt32 = 0
    var firstFrameReceived: UInt32?
    var newestFrameReceived: UInt32?
    var counters = MediaStatistics()
    var arrivalPhases: [Int64] = []
    var quietFrames = 0
    var expectedLossPercent: Int
    var lossReportedAt: (received: Int, newest: UInt32?) = (0, nil)
    var recentPeakPower = 0.0
    var playoutPhase: Duration = .zero
    /// Set by `stop()` or by a failure; the media thread ends at its next look.
    var stopping = false
    var failure: (any Error)?
    var runner: MediaSession.Runner = .idle

    var statistics: MediaStatistics {
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

    mutating func sendPing() throws {
        guard let started else { return }
        try send(.ping(nanoseconds: nanoseconds(clock.now - started), lossPercent: recentLossPercent()))
    }

    mutating func capture() throws {
        guard !counters.sourceEnded else { return }
        guard let frame = try source.read() else {
            counters.sourceEnded = true
            return
        }
        try send(.audio(frame: nextFrame, packet: encoder.encode(frame)))
        nextFrame += 1
        counters.framesSent += 1
    }

    mutating func play() throws {
        try sink.write(nextPlayoutFrame())
    }

    mutating func nextPlayoutFrame() -> [Int16] {
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
    mutating func isQuiet(_ frame: [Int16]) -> Bool {
        let power = frame.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(frame.count)
        // The reference level decays by half in about 3 seconds, following the talker.
        recentPeakPower = max(power, recentPeakPower * 0.995)
        return power < max(10 * 10, recentPeakPower / 10_000)
    }

    /// The share of the peer's frames lost since the last report, for the peer's encoder.
    mutating func recentLossPercent() -> UInt8 {
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
    mutating func followReportedLoss(_ percent: Int) {
        counters.lossReportedByPeer = (counters.lossReportedByPeer + Double(percent) / 100) / 2
        let planned = max(min(percent + percent / 2, Self.maximumExpectedLoss), expectedLossPercent / 2)
        guard planned != expectedLossPercent, (try? encoder.setExpectedLoss(percent: planned)) != nil else { return }
        expectedLossPercent = planned
    }

    static let maximumExpectedLoss = 30

    /// Where in its 20 ms the peer's audio arrives, learnt from the first packets.
    mutating func learnArrivalPhase(_ arrival: Duration) {
        guard arrivalPhases.count < Self.phaseSamples else { return }
        let frameNanoseconds = Int64(AudioFrame.duration.inSeconds * 1e9)
        arrivalPhases.append(Int64(arrival.inSeconds * 1e9) % frameNanoseconds)
        guard arrivalPhases.count == Self.phaseSamples else { return }
        // Phases wrap around at 20 ms: take the median relative to the first one.
        let first = arrivalPhases[0]
        let relative = arrivalPhases.map { ($0 - first + frameNanoseconds + frameNanoseconds / 2) % frameNanoseconds - frameNanoseconds / 2 }
        let median = relative.sorted()[relative.count / 2] + first
        let margin = Int64(Self.playoutMargin.inSeconds * 1e9)
        playoutPhase = .nanoseconds(((median + margin) % frameNanoseconds + frameNanoseconds) % frameNanoseconds)
    }

    static let phaseSamples = 25
    static let playoutMargin = Duration.milliseconds(2)

    mutating func send(_ payload: MediaPayload) throws(MediaSessionError) {
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

    mutating func receive(_ datagram: [UInt8]) {
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
            jitterBuffer.insert(frame: frame, packet: packet, arrival: now.inSeconds)
            learnArrivalPhase(now)
        case .ping(let nanoseconds, let lossPercent):
            try? send(.pong(nanoseconds: nanoseconds))
            followReportedLoss(Int(lossPercent))
        case .pong(let sent):
            let roundTrip = Duration.nanoseconds(Int64(clamping: self.nanoseconds(now)) - Int64(clamping: sent))
            if roundTrip >= .zero { counters.roundTripTime = roundTrip }
        }
    }

    func nanoseconds(_ duration: Duration) -> UInt64 {
        UInt64(max(0, duration.inSeconds * 1e9))
    }
}
