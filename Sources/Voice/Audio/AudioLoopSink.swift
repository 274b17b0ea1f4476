/// The playing end of an `AudioLoop`.
public struct AudioLoopSink: AudioSink {
    let loop: AudioLoop

    public mutating func write(_ frame: [Int16]) throws(AudioError) {
        loop.push(frame)
    }

    public mutating func finish() throws(AudioError) {}
}
