import Foundation
import Testing
import Voice

@Suite struct AudioEndpointTests {
    @Test func specNamesADeviceOrAFile() throws {
        #expect(try AudioEndpoint(spec: "default") == .alsa(device: "default"))
        #expect(try AudioEndpoint(spec: "plughw:1,0") == .alsa(device: "plughw:1,0"))
        #expect(try AudioEndpoint(spec: "file:/tmp/a b.wav") == .wavFile(path: "/tmp/a b.wav"))
        #expect(throws: AudioError.invalidSpec("file:")) { try AudioEndpoint(spec: "file:") }
        #expect(throws: AudioError.invalidSpec("")) { try AudioEndpoint(spec: "") }
    }

    @Test func wavSourceIsPacedInWholeFramesThenEnds() throws {
        var source = WAVFileSource(WAVFile(samples: [Int16](repeating: 100, count: AudioFrame.samples + 10)))
        let frames = [source.read(), source.read(), source.read()]
        #expect(frames[0] == [Int16](repeating: 100, count: AudioFrame.samples))
        #expect(frames[1] == [Int16](repeating: 100, count: 10) + [Int16](repeating: 0, count: AudioFrame.samples - 10))
        #expect(frames[2] == nil)
    }

    @Test func wavSinkWritesWhatWasPlayed() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("p2pchat-sink-\(UUID().uuidString).wav").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var sink = try AudioEndpoint(spec: "file:\(path)").openSink()
        try sink.write([Int16](repeating: 5, count: AudioFrame.samples))
        try sink.write(AudioFrame.silence)
        try sink.finish()
        let file = try WAVFile(path: path)
        #expect(file.samples == [Int16](repeating: 5, count: AudioFrame.samples) + AudioFrame.silence)
        #expect(file.duration == .milliseconds(40))
    }

    @Test func unwritableSinkIsAnError() {
        #expect(throws: AudioError.self) { try WAVFileSink(path: "/nonexistent-dir/x.wav") }
    }
}
