/// Where a call's outgoing audio comes from: a microphone (ALSA capture) or a WAV file.
///
/// The media session calls `read()` once per 20 ms tick; a source never paces itself.
public protocol AudioSource {
    /// The next 20 ms frame (`AudioFrame.samples` samples), or nil once the source has ended
    /// (the end of a WAV file). A live device that has nothing yet returns silence.
    mutating func read() throws(AudioError) -> [Int16]?
}
