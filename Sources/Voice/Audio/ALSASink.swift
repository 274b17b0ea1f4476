/// A speaker: ALSA playback, one 20 ms frame per tick of the session's clock.
public struct ALSASink: AudioSink {
    private let pcm: ALSAPCM

    public init(device: String, configuration: String? = nil) throws(AudioError) {
        pcm = try ALSAPCM(device: device, direction: .playback, configuration: configuration)
    }

    /// A device buffer that is full (the device runs slower than the clock) drops the frame
    /// rather than block the call.
    public mutating func write(_ frame: [Int16]) throws(AudioError) {
        _ = try pcm.write(frame)
    }

    public mutating func finish() {
        pcm.close()
    }
}
