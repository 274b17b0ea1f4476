/// A microphone: ALSA capture, one 20 ms frame per tick of the session's clock.
///
/// Each tick takes at most one frame from the device; a device that runs ahead of the clock
/// overruns its buffer, which `ALSAPCM` recovers from.
public struct ALSASource: AudioSource {
    private let pcm: ALSAPCM
    private var frame = AudioFrame.silence
    private var filled = 0

    public init(device: String, configuration: String? = nil) throws(AudioError) {
        pcm = try ALSAPCM(device: device, direction: .capture, configuration: configuration)
    }

    /// Silence until the device has captured a whole frame.
    public mutating func read() throws(AudioError) -> [Int16]? {
        filled += try pcm.read(into: &frame, from: filled)
        guard filled == AudioFrame.samples else { return AudioFrame.silence }
        filled = 0
        return frame
    }
}
