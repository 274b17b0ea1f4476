import Foundation
import Testing
import Voice

@Suite struct OpusCodecTests {
    /// A 300 Hz tone at a quarter of full scale, `frames` frames long.
    private func tone(frames: Int) -> [[Int16]] {
        (0..<frames).map { frame in
            (0..<AudioFrame.samples).map { index in
                let t = Double(frame * AudioFrame.samples + index) / Double(AudioFrame.sampleRate)
                return Int16(8000 * sin(2 * .pi * 300 * t))
            }
        }
    }

    private func rms(_ frame: [Int16]) -> Double {
        (frame.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(frame.count)).squareRoot()
    }

    @Test func encodesAtTheTargetRateAndDecodesTheTone() throws {
        let encoder = try OpusFrameEncoder(settings: OpusSettings(bitrate: 24_000))
        let decoder = try OpusFrameDecoder()
        let frames = tone(frames: 100)
        let packets = try frames.map { try encoder.encode($0) }
        let kilobitsPerSecond = Double(packets.reduce(0) { $0 + $1.count }) * 8 / 2 / 1000
        #expect((12...34).contains(kilobitsPerSecond), "\(kilobitsPerSecond) kbit/s")
        let decoded = try packets.map { try decoder.decode($0) }
        let ratio = rms(decoded.last!) / rms(frames.last!)
        #expect((0.7...1.3).contains(ratio), "level ratio \(ratio)")
        #expect(encoder.lookahead > .zero && encoder.lookahead < .milliseconds(20))
    }

    @Test func concealmentAndFECKeepTheToneGoing() throws {
        let encoder = try OpusFrameEncoder(settings: OpusSettings(bitrate: 24_000, expectedLossPercent: 10))
        let decoder = try OpusFrameDecoder()
        let packets = try tone(frames: 60).map { try encoder.encode($0) }
        for packet in packets[0..<50] { _ = try decoder.decode(packet) }
        #expect(rms(try decoder.recover(from: packets[51])) > 1000)
        #expect(rms(decoder.conceal()) > 500)
    }

    @Test func malformedPacketIsAnErrorNotACrash() throws {
        let decoder = try OpusFrameDecoder()
        #expect(throws: OpusError.self) { try decoder.decode([0xFF, 0xFF, 0xFF]) }
    }
}
