import Foundation

/// What a speaker would have played, written to a 48 kHz mono 16-bit WAV file as it is played.
///
/// The header is written first with empty sizes and completed by `finish()`, so a file cut short
/// by a crash still holds the audio up to there (readers take the data to the end of the file).
public final class WAVFileSink: AudioSink {
    private let path: String
    private let handle: FileHandle
    private var sampleBytes = 0
    private var finished = false

    public init(path: String) throws(AudioError) {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: WAVFile.header(sampleBytes: 0)),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw .unwritableFile(path: path, reason: String(cString: strerror(errno))) }
        self.handle = handle
        do { try handle.seekToEnd() } catch { throw .unwritableFile(path: path, reason: "\(error)") }
    }

    public func write(_ frame: [Int16]) throws(AudioError) {
        let bytes = frame.withUnsafeBufferPointer { Data(buffer: $0) }
        do { try handle.write(contentsOf: bytes) } catch { throw .unwritableFile(path: path, reason: "\(error)") }
        sampleBytes += bytes.count
    }

    public func finish() throws(AudioError) {
        guard !finished else { return }
        finished = true
        do {
            try handle.seek(toOffset: 0)
            try handle.write(contentsOf: WAVFile.header(sampleBytes: sampleBytes))
            try handle.close()
        } catch {
            throw .unwritableFile(path: path, reason: "\(error)")
        }
    }

    deinit {
        try? finish()
    }
}
