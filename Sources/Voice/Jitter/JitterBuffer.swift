/// Holds received Opus packets until their turn to play, and says each tick what to play.
///
/// It starts by buffering `startDepth` frames: two, the frame arriving and the one before it, which
/// is all a steady path needs, so that a clean call never has to shrink and plays every frame.
/// The target depth then follows the measured
/// interarrival jitter (RFC 3550): it grows at once when packets come late (where jitter is high,
/// an empty buffer stalls playout with concealment instead of skipping ahead) and shrinks, one dropped frame at
/// a time, when the buffer has held more than the target for a while: the player drops a quiet
/// frame (see `shrinks(droppingQuietFrame:)`), so that no speech is lost.
public struct JitterBuffer {
    public struct Configuration: Sendable, Equatable {
        public var startDepth = 2
        public var minimumDepth = 2
        public var maximumDepth = 15
        /// How long the buffer must stay above its target before a quiet frame is dropped; after
        /// four times as long any frame is.
        public var shrinkAfterTicks = 25
        /// Concealed frames in a row before playout falls silent and buffers again.
        public var maximumConcealment = 10

        public init() {}
    }

    public enum Playout: Equatable {
        case packet([UInt8])
        /// The frame is lost, but the packet after it carries Opus FEC for it.
        case recover(from: [UInt8])
        case conceal
        case silence
    }

    public let configuration: Configuration
    public private(set) var targetDepth: Int
    /// RFC 3550 interarrival jitter, in seconds.
    public private(set) var jitter = 0.0
    public private(set) var lateFrames = 0
    public private(set) var discardedFrames = 0

    private var packets: [UInt32: [UInt8]] = [:]
    private var newest: UInt32?
    /// The next frame to play; nil while buffering.
    private var next: UInt32?
    private var lastTransit: Double?
    private var arrivals = 0
    private var aboveTarget = 0
    private var concealedInARow = 0
    private var hasPlayed = false

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        targetDepth = configuration.startDepth
    }

    /// Frames buffered ahead of playout.
    public var depth: Int {
        guard let newest else { return 0 }
        guard let next else { return packets.count }
        return newest >= next ? Int(newest - next) + 1 : 0
    }

    /// Takes a packet that arrived `arrival` seconds into the call. False when it came too late
    /// to be played (its frame was already concealed).
    @discardableResult
    public mutating func insert(frame: UInt32, packet: [UInt8], arrival: Double) -> Bool {
        let transit = arrival - Double(frame) * AudioFrame.duration.inSeconds
        if let lastTransit { jitter += (abs(transit - lastTransit) - jitter) / 16 }
        lastTransit = transit
        arrivals += 1
        if arrivals >= configuration.startDepth * 4 {
            let frames = Int((1 + 3 * jitter / AudioFrame.duration.inSeconds).rounded(.up))
            targetDepth = min(configuration.maximumDepth, max(configuration.minimumDepth, frames))
        }
        if let next, frame < next {
            lateFrames += 1
            return false
        }
        // A peer that jumps far ahead (a long outage) starts a new stream.
        if let newest, frame > newest + UInt32(configuration.maximumDepth * 4) {
            packets.removeAll()
            next = nil
        }
        packets[frame] = packet
        newest = max(newest ?? frame, frame)
        return true
    }

    /// Takes a copy of `frame`'s packet that came inside a later datagram. It is kept when the
    /// frame's own packet is missing and its turn has not come yet; true when it filled such a gap.
    /// Its arrival says nothing about jitter: the datagram's own frame was timed.
    @discardableResult
    public mutating func insertCopy(frame: UInt32, packet: [UInt8]) -> Bool {
        guard packets[frame] == nil, let newest, frame < newest else { return false }
        if let next, frame < next { return false }
        // While buffering, only a copy of the frame just before the buffered ones belongs here.
        if next == nil, let oldest = packets.keys.min(), frame + 1 < oldest { return false }
        packets[frame] = packet
        return true
    }

    /// Whether the frame just decoded from a `.packet` should be dropped, and the next one played
    /// in its place, to bring the delay down to the target.
    public mutating func shrinks(droppingQuietFrame quiet: Bool) -> Bool {
        guard aboveTarget >= configuration.shrinkAfterTicks, quiet || aboveTarget >= configuration.shrinkAfterTicks * 4,
            depth >= targetDepth
        else { return false }
        aboveTarget = 0
        discardedFrames += 1
        return true
    }

    /// What to play for the next 20 ms.
    public mutating func playout() -> Playout {
        if next == nil {
            guard let oldest = packets.keys.min(), let newest, Int(newest - oldest) + 1 >= targetDepth else { return .silence }
            // Buffering again after an outage: what came in a burst at its end was due while
            // playout concealed or fell silent, and playing it now would add the outage to the
            // delay for good. Playout resumes at the target depth behind the newest frame.
            let start = hasPlayed ? max(oldest, newest - UInt32(targetDepth - 1)) : oldest
            let stale = packets.keys.filter { $0 < start }
            for frame in stale { packets.removeValue(forKey: frame) }
            discardedFrames += stale.count
            next = start
            hasPlayed = true
        }
        guard let current = next else { return .silence }
        // A lost packet at the head makes the depth look one short for a tick; decaying rather
        // than resetting keeps one such tick from putting off shrinking for good.
        aboveTarget = depth > targetDepth ? aboveTarget + 1 : max(0, aboveTarget - 3)
        if let packet = packets.removeValue(forKey: current) {
            next = current + 1
            concealedInARow = 0
            return .packet(packet)
        }
        concealedInARow += 1
        guard concealedInARow <= configuration.maximumConcealment else {
            next = nil
            concealedInARow = 0
            return .silence
        }
        if let following = packets[current + 1] {
            next = current + 1
            return .recover(from: following)
        }
        // Nothing newer has arrived and packets do come late: wait for this one rather than
        // skip it. On a steady path a missing packet is a lost one.
        let newerArrived = newest.map { $0 > current } ?? false
        let packetsComeLate = jitter > AudioFrame.duration.inSeconds / 4
        next = newerArrived || !packetsComeLate ? current + 1 : current
        return .conceal
    }
}
