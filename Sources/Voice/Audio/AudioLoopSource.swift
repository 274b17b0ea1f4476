/// The capturing end of an `AudioLoop`; like a live microphone it never ends.
public struct AudioLoopSource: AudioSource {
    let loop: AudioLoop

    public mutating func read() throws(AudioError) -> [Int16]? {
        loop.pop() ?? AudioFrame.silence
    }
}
