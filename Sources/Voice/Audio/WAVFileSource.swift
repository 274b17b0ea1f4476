/// A WAV file played into a call as if it were a microphone: one 20 ms frame per tick, the last
/// frame padded with silence, then the end.
public struct WAVFileSource: AudioSource {
    private let samples: [Int16]
    private var position = 0

    public init(path: String) throws(AudioError) {
        samples = try WAVFile(path: path).samples
    }

    public init(_ file: WAVFile) {
        samples = file.samples
    }

    public mutating func read() -> [Int16]? {
        guard position < samples.count else { return nil }
        let end = min(position + AudioFrame.samples, samples.count)
        var frame = Array(samples[position..<end])
        position = end
        if frame.count < AudioFrame.samples { frame += [Int16](repeating: 0, count: AudioFrame.samples - frame.count) }
        return frame
    }
}
