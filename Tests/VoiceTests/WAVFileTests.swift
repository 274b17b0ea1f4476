import Foundation
import Testing
import Voice

@Suite struct WAVFileTests {
    private func write(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("p2pchat-wav-\(UUID().uuidString).wav").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func wav(format: UInt16, channels: UInt16, rate: UInt32, bits: UInt16, data: [UInt8]) -> [UInt8] {
        func le32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        func le16(_ v: UInt16) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        let blockAlign = channels * bits / 8
        let fmt = le16(format) + le16(channels) + le32(rate) + le32(rate * UInt32(blockAlign)) + le16(blockAlign) + le16(bits)
        let body = Array("WAVE".utf8) + Array("fmt ".utf8) + le32(16) + fmt + Array("LIST".utf8) + le32(3) + [1, 2, 3, 0]
            + Array("data".utf8) + le32(UInt32(data.count)) + data
        return Array("RIFF".utf8) + le32(UInt32(body.count)) + body
    }

    @Test func stereo16BitIsMixedToMono() throws {
        // Left 1000, right 3000, then left -2000, right -2000.
        let samples: [Int16] = [1000, 3000, -2000, -2000]
        let data = samples.flatMap { withUnsafeBytes(of: $0.littleEndian) { Array($0) } }
        let path = try write(wav(format: 1, channels: 2, rate: 48_000, bits: 16, data: data))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try WAVFile(path: path).samples == [2000, -2000])
    }

    @Test func otherRatesAreResampledTo48kHz() throws {
        let floats: [Float] = (0..<16_000).map { sin(Float($0) * 2 * .pi * 440 / 16_000) * 0.5 }
        let data = floats.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian) { Array($0) } }
        let path = try write(wav(format: 3, channels: 1, rate: 16_000, bits: 32, data: data))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try WAVFile(path: path)
        #expect(file.samples.count == 48_000)
        #expect(file.duration == .seconds(1))
        let peak = file.samples.map { abs(Int($0)) }.max() ?? 0
        #expect((15_500...16_500).contains(peak))
    }

    @Test func unsupportedAndBrokenFilesAreClearErrors() throws {
        let compressed = try write(wav(format: 0x55, channels: 1, rate: 44_100, bits: 0, data: [1, 2, 3]))
        let text = try write(Array("not a wav file at all".utf8))
        defer {
            try? FileManager.default.removeItem(atPath: compressed)
            try? FileManager.default.removeItem(atPath: text)
        }
        #expect { try WAVFile(path: compressed) } throws: { "\($0)".contains("sox IN.wav -r 48000 -c 1 -b 16 OUT.wav") }
        #expect { try WAVFile(path: text) } throws: { "\($0)".contains("not a RIFF/WAVE file") }
        #expect { try WAVFile(path: "/nonexistent.wav") } throws: { "\($0)".hasPrefix("cannot read WAV file /nonexistent.wav") }
    }
}
