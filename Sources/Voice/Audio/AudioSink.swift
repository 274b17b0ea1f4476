/// Where a call's incoming audio goes: a speaker (ALSA playback) or a WAV file.
///
/// The media session writes exactly one frame per 20 ms tick, silence included, so a WAV sink
/// holds what a speaker would have played, when it would have played it.
public protocol AudioSink {
    mutating func write(_ frame: [Int16]) throws(AudioError)
    /// Flushes what is buffered (a WAV file's header sizes); called once when the session ends.
    mutating func finish() throws(AudioError)
}
