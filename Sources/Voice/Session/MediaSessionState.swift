import Logging
import NIOCore

/// Everything a media session changes as it runs, behind the session's lock: the media thread's
/// ticks and the event loop's datagrams take turns on it.
struct MediaSessionState {
    let socket: MediaSocket
    let route: MediaRoute
    let cipher: MediaCipher
    let configuration: MediaSessionConfiguration
    let logger: Logger
    var source: any AudioSource
    var sink: any AudioSink
    let encoder: OpusFrameEncoder
    let decoder: OpusFrameDecoder
    /// Present when the configuration asks for echo cancellation.
    let echoCanceller: EchoCanceller?
    var jitterBuffer: JitterBuffer
    /// Audio and control datagrams are numbered apart (an audio datagram's number is its frame),
    /// so each stream has its own window.
    var audioReplayWindow = ReplayWindow()
    var controlReplayWindow = ReplayWindow()
    var impairment: NetworkImpairment.Draws?
    let clock = ContinuousClock()
    var started: ContinuousClock.Instant?
    var ended: ContinuousClock.Instant?
    var nextControlSequence: UInt32 = 0
    var nextProbeSequence = MediaPayload.sessionProbeSequences
    var nextFrame: UInt32 = 0
    /// The packet of the frame sent last, which the next datagram carries again while protected.
    var previousPacket: [UInt8]?
    var firstFrameReceived: UInt32?
    var newestFrameReceived: UInt32?
    var counters = MediaStatistics()
    var arrivalPhases: [Int64] = []
    var quietFrames = 0
    var lossReportedAt: (received: Int, newest: UInt32?) = (0, nil)
    var lossReportedEarlyAt: Duration?
    var recentPeakPower = 0.0
    /// Whether each datagram carries a copy of the previous frame (see `followReportedLoss`).
    var protected = false
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
        statistics.sendingCopies = protected
        statistics.echoCancellation = echoCanceller != nil
        return statistics
    }

    mutating func sendPing() throws {
        guard let started else { return }
        try sendControl(.ping(nanoseconds: nanoseconds(clock.now - started), lossPercent: recentLossPercent()))
    }

    mutating func capture() throws {
        guard !counters.sourceEnded else { return }
        guard let captured = try source.read() else {
            counters.sourceEnded = true
            return
        }
        let frame = echoCanceller?.clean(captured) ?? captured
        guard nextFrame < .max else { throw MediaSessionError.sequenceExhausted }
        let packet = try encoder.encode(frame)
        let payload: MediaPayload =
            if protected, let previousPacket, previousPacket.count <= MediaPayload.maximumCopy {
                .audioWithPrevious(packet: packet, previous: previousPacket)
            } else {
                .audio(packet: packet)
            }
        send(cipher.seal(payload, sequence: nextFrame), stream: .audio)
        previousPacket = packet
        nextFrame += 1
        counters.framesSent += 1
    }

    mutating func play() throws {
        let frame = nextPlayoutFrame()
        try sink.write(frame)
        echoCanceller?.played(frame)
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

    /// Copies of the previous frame follow the loss the peer reports: none on a clean path,
    /// where the bits are worth more as quality. Reports are averaged (each weighing half), so
    /// that protection starts at the first report of a loss and ends a few seconds after the
    /// last one rather than before the next burst.
    mutating func followReportedLoss(_ percent: Int) {
        counters.lossReportedByPeer = (counters.lossReportedByPeer + Double(percent) / 100) / 2
        let protect = protected ? counters.lossReportedByPeer >= Self.protectionEnds : counters.lossReportedByPeer >= Self.protectionStarts
        guard protect != protected else { return }
        let bitrate = protect ? configuration.opus.protectedBitrate : configuration.opus.bitrate
        do {
            try encoder.setBitrate(bitrate)
            protected = protect
        } catch {
            logger.warning("media session: \(error)")
        }
    }

    /// A report of 2% (one frame lost in a second) starts protection; it ends once reports of no
    /// loss bring the average below 0.4%: two seconds after one lost frame, five after 10% loss.
    static let protectionStarts = 0.01
    static let protectionEnds = 0.004
    /// At most this often a loss is reported ahead of the ping schedule.
    static let earlyReportInterval = Duration.milliseconds(200)

    /// Where in its 20 ms the peer's audio arrives: from the first packet at once, while the
    /// buffer fills, then from the median of the first 25. Learnt only later, the move would
    /// take playout from just before the arrivals to just after them: a frame more in the
    /// buffer, which it could only shed by dropping one.
    mutating func learnArrivalPhase(_ arrival: Duration) {
        guard arrivalPhases.count < Self.phaseSamples else { return }
        let frameNanoseconds = Int64(AudioFrame.duration.inSeconds * 1e9)
        arrivalPhases.append(Int64(arrival.inSeconds * 1e9) % frameNanoseconds)
        guard arrivalPhases.count == 1 || arrivalPhases.count == Self.phaseSamples else { return }
        // Phases wrap around at 20 ms: take the median relative to the first one.
        let first = arrivalPhases[0]
        let relative = arrivalPhases.map { ($0 - first + frameNanoseconds + frameNanoseconds / 2) % frameNanoseconds - frameNanoseconds / 2 }
        let median = relative.sorted()[relative.count / 2] + first
        let margin = Int64(Self.playoutMargin.inSeconds * 1e9)
        playoutPhase = .nanoseconds(((median + margin) % frameNanoseconds + frameNanoseconds) % frameNanoseconds)
    }

    static let phaseSamples = 25
    static let playoutMargin = Duration.milliseconds(2)

    mutating func sendControl(_ payload: MediaPayload) throws(MediaSessionError) {
        guard nextControlSequence < .max else { throw .sequenceExhausted }
        send(cipher.seal(payload, sequence: nextControlSequence), stream: .control)
        nextControlSequence += 1
    }

    mutating func send(_ datagram: [UInt8], stream: MediaPayload.Stream) {
        if var impairment {
            let draw = impairment.draw(stream)
            self.impairment = impairment
            if draw < impairment.settings.loss {
                // Sent as far as this side can tell: the network lost it.
                counters.bytesSent += datagram.count
                counters.datagramsDropped += 1
                return
            }
            if draw < impairment.settings.loss + impairment.settings.delayed, case .socket(let remote) = route {
                counters.bytesSent += datagram.count
                socket.send(datagram, to: remote, after: impairment.settings.delay)
                return
            }
        }
        counters.bytesSent += datagram.count
        switch route {
        case .socket(let remote): socket.send(datagram, to: remote)
        case .relay(let send): send(datagram)
        }
    }

    /// A datagram from the peer, from `source` (nil when it came through the relay, which
    /// answers no probes: the peer's probes look for paths around it).
    mutating func receive(_ datagram: [UInt8], from source: SocketAddress?) {
        guard let started else { return }
        guard let (sequence, payload) = cipher.open(datagram) else {
            if counters.datagramsRejected == 0 { logger.debug("media datagram did not open; dropping it and any like it") }
            counters.datagramsRejected += 1
            return
        }
        let fresh =
            switch payload.kind.stream {
            case .audio: audioReplayWindow.accept(sequence)
            case .control: controlReplayWindow.accept(sequence)
            case .probe: true  // answered below, or ignored: nothing to replay into
            }
        guard fresh else {
            counters.datagramsReplayed += 1
            return
        }
        counters.bytesReceived += datagram.count
        let now = clock.now - started
        switch payload {
        case .audio(let packet):
            // A frame missing from a peer that sends no copies: report it now rather than at
            // the next ping, so that the peer protects its stream within a round trip.
            let gap = newestFrameReceived.map { sequence > $0 + 1 } ?? false
            receiveAudio(frame: sequence, packet: packet, arrival: now)
            if gap, lossReportedEarlyAt.map({ now - $0 >= Self.earlyReportInterval }) ?? true {
                lossReportedEarlyAt = now
                try? sendPing()
            }
        case .audioWithPrevious(let packet, let previous):
            receiveAudio(frame: sequence, packet: packet, arrival: now)
            if sequence > 0, jitterBuffer.insertCopy(frame: sequence - 1, packet: previous) { counters.framesFromCopies += 1 }
        case .ping(let nanoseconds, let lossPercent):
            try? sendControl(.pong(nanoseconds: nanoseconds))
            followReportedLoss(Int(lossPercent))
        case .pong(let sent):
            let roundTrip = Duration.nanoseconds(Int64(clamping: self.nanoseconds(now)) - Int64(clamping: sent))
            if roundTrip >= .zero { counters.roundTripTime = roundTrip }
        case .probe(let token):
            // The peer still checks a path (its side had not confirmed one when ours started).
            guard let source, nextProbeSequence < .max else { return }
            socket.send(cipher.seal(.probeAck(token: token), sequence: nextProbeSequence), to: source)
            nextProbeSequence += 1
        case .probeAck:
            break  // an answer to one of the prober's probes that came after the choice
        }
    }

    mutating func receiveAudio(frame: UInt32, packet: [UInt8], arrival: Duration) {
        counters.framesReceived += 1
        firstFrameReceived = min(firstFrameReceived ?? frame, frame)
        newestFrameReceived = max(newestFrameReceived ?? frame, frame)
        jitterBuffer.insert(frame: frame, packet: packet, arrival: arrival.inSeconds)
        learnArrivalPhase(arrival)
    }

    func nanoseconds(_ duration: Duration) -> UInt64 {
        UInt64(max(0, duration.inSeconds * 1e9))
    }
}
