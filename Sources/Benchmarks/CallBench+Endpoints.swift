import Synchronization
import Voice

extension Bench.CallBench {
    /// When each frame went in or came out, and the audio itself, shared between a session's
    /// endpoint and the benchmark that reads it afterwards.
    final class FrameLog: Sendable {
        private let entries = Mutex<(instants: [ContinuousClock.Instant], samples: [Int16])>(([], []))

        func record(_ frame: [Int16]) {
            let now = ContinuousClock.now
            entries.withLock {
                $0.instants.append(now)
                $0.samples += frame
            }
        }

        var instants: [ContinuousClock.Instant] { entries.withLock { $0.instants } }
        var samples: [Int16] { entries.withLock { $0.samples } }

        /// When sample `index` of the logged stream reached the speaker: its frame was handed
        /// over at the logged instant and plays from there.
        func playedAt(_ index: Int) -> ContinuousClock.Instant? {
            let (frame, offset) = index.quotientAndRemainder(dividingBy: AudioFrame.samples)
            return entries.withLock { frame < $0.instants.count ? $0.instants[frame] + sampleTime(offset) : nil }
        }

        /// When sample `index` was captured: a microphone delivers a frame once its last sample
        /// is in, so earlier samples are older than the instant the frame was read.
        func capturedAt(_ index: Int) -> ContinuousClock.Instant? {
            let (frame, offset) = index.quotientAndRemainder(dividingBy: AudioFrame.samples)
            return entries.withLock { frame < $0.instants.count ? $0.instants[frame] - sampleTime(AudioFrame.samples - offset) : nil }
        }

        private func sampleTime(_ samples: Int) -> Duration {
            .nanoseconds(Int64(samples) * 1_000_000_000 / Int64(AudioFrame.sampleRate))
        }
    }

    /// Plays `samples` like a microphone would, logging when each frame was taken.
    struct LoggedSource: AudioSource {
        let samples: [Int16]
        let log: FrameLog
        private var position = 0

        init(samples: [Int16], log: FrameLog) {
            self.samples = samples
            self.log = log
        }

        mutating func read() -> [Int16]? {
            guard position < samples.count else { return nil }
            var frame = Array(samples[position..<min(position + AudioFrame.samples, samples.count)])
            frame += [Int16](repeating: 0, count: AudioFrame.samples - frame.count)
            position += AudioFrame.samples
            log.record(frame)
            return frame
        }
    }

    /// A speaker that logs what it was given and when, and optionally writes a WAV file too.
    struct LoggedSink: AudioSink {
        let log: FrameLog
        var file: WAVFileSink?

        mutating func write(_ frame: [Int16]) throws(AudioError) {
            log.record(frame)
            try file?.write(frame)
        }

        mutating func finish() throws(AudioError) {
            try file?.finish()
        }
    }
}
