import Voice

/// A source with nothing to say: the side of a call that only listens.
struct SilentSource: AudioSource {
    mutating func read() -> [Int16]? { nil }
}

/// A sink that throws away what it is given: the side of a call that only talks.
struct DiscardingSink: AudioSink {
    mutating func write(_ frame: [Int16]) {}
    mutating func finish() {}
}
