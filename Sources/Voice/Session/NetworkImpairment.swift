/// For testing only: drops or delays a share of a session's outgoing datagrams, so that loss
/// and jitter can be tried on loopback. Deterministic for a given seed.
public struct NetworkImpairment: Sendable, Equatable {
    /// The share of datagrams never sent, 0...1.
    public var loss: Double
    /// The share of datagrams sent `delay` late, 0...1.
    public var delayed: Double
    public var delay: Duration
    public var seed: UInt64

    public init(loss: Double = 0, delayed: Double = 0, delay: Duration = .milliseconds(60), seed: UInt64 = 1) {
        self.loss = loss
        self.delayed = delayed
        self.delay = delay
        self.seed = seed
    }

    /// Which datagrams go: audio and control datagrams draw from generators of their own, so
    /// that the audio frames lost depend on the seed alone (the Opus-alone ceiling of
    /// `bench call` loses the same ones), not on when pings and pongs fall between them.
    struct Draws {
        let settings: NetworkImpairment
        private var audio: SeededGenerator
        private var control: SeededGenerator

        init(_ settings: NetworkImpairment) {
            self.settings = settings
            audio = SeededGenerator(seed: settings.seed)
            control = SeededGenerator(seed: ~settings.seed)
        }

        mutating func draw(_ stream: MediaPayload.Stream) -> Double {
            switch stream {
            case .audio: Double.random(in: 0..<1, using: &audio)
            case .control, .probe: Double.random(in: 0..<1, using: &control)
            }
        }
    }
}

/// SplitMix64: a tiny seeded generator, so an impaired run can be repeated exactly.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
