/// The one audio format voice uses end to end: 48 kHz, mono, signed 16-bit, in 20 ms frames.
///
/// Sources deliver and sinks take exactly one frame per tick of the session's 20 ms clock, so
/// every endpoint (microphone, speaker, WAV file) runs at the pace a real call would.
public enum AudioFrame {
    public static let sampleRate = 48_000
    public static let samples = 960
    public static let duration = Duration.milliseconds(20)

    /// A frame of digital silence.
    public static var silence: [Int16] { [Int16](repeating: 0, count: samples) }
}
