import Foundation

/// A WAV file's audio, decoded from integer or float PCM of any rate and channel count and
/// converted to the call format (48 kHz mono, 16-bit).
public struct WAVFile: Sendable {
    /// The samples at `AudioFrame.sampleRate`, mono.
    public let samples: [Int16]

    public var duration: Duration { .milliseconds(samples.count * 1000 / AudioFrame.sampleRate) }

    public init(samples: [Int16]) {
        self.samples = samples
    }

    public init(path: String) throws(AudioError) {
        let bytes: Data
        do {
            bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadableFile(path: path, reason: (error as NSError).localizedDescription)
        }
        let format = try WAVFormat(parsing: bytes, path: path)
        let mono = format.monoSamples(bytes)
        samples = Self.resample(mono, from: format.sampleRate, to: AudioFrame.sampleRate)
    }

    /// Linear interpolation: good enough for speech, and exact when the rates match.
    static func resample(_ input: [Float], from sourceRate: Int, to targetRate: Int) -> [Int16] {
        func clamp(_ value: Float) -> Int16 { Int16(max(-32768, min(32767, (value * 32768).rounded()))) }
        guard sourceRate != targetRate else { return input.map(clamp) }
        guard !input.isEmpty else { return [] }
        let count = Int((Int64(input.count) * Int64(targetRate)) / Int64(sourceRate))
        let step = Double(sourceRate) / Double(targetRate)
        return (0..<count).map { index in
            let position = Double(index) * step
            let lower = min(Int(position), input.count - 1)
            let upper = min(lower + 1, input.count - 1)
            let fraction = Float(position - Double(lower))
            return clamp(input[lower] + (input[upper] - input[lower]) * fraction)
        }
    }

    /// A 48 kHz mono 16-bit WAV file (44-byte header) holding `samples`.
    public static func encode(_ samples: [Int16]) -> Data {
        var data = header(sampleBytes: samples.count * 2)
        samples.withUnsafeBufferPointer { data.append(Data(buffer: $0)) }
        return data
    }

    static func header(sampleBytes: Int) -> Data {
        var data = Data()
        func append32(_ value: Int) { withUnsafeBytes(of: UInt32(truncatingIfNeeded: value).littleEndian) { data.append(contentsOf: $0) } }
        func append16(_ value: Int) { withUnsafeBytes(of: UInt16(truncatingIfNeeded: value).littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: Array("RIFF".utf8))
        append32(36 + sampleBytes)
        data.append(contentsOf: Array("WAVEfmt ".utf8))
        append32(16)
        append16(1)
        append16(1)
        append32(AudioFrame.sampleRate)
        append32(AudioFrame.sampleRate * 2)
        append16(2)
        append16(16)
        data.append(contentsOf: Array("data".utf8))
        append32(sampleBytes)
        return data
    }
}
