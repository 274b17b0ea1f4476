import Foundation

extension EchoCanceller {
    /// Cleans a whole recording, frame by frame as a call does: `microphone` was captured while
    /// `played` went to the speaker. A tail shorter than a frame is left out.
    public func clean(microphone: [Int16], played: [Int16]) -> [Int16] {
        let frames = min(microphone.count, played.count) / AudioFrame.samples
        var cleaned: [Int16] = []
        cleaned.reserveCapacity(frames * AudioFrame.samples)
        for frame in 0..<frames {
            let range = frame * AudioFrame.samples..<(frame + 1) * AudioFrame.samples
            self.played(Array(played[range]))
            cleaned += clean(Array(microphone[range]))
        }
        return cleaned
    }

    /// The echo return loss enhancement in dB: how much quieter `cleaned` is than `microphone`
    /// over `range`, where the microphone heard only the far end's echo.
    public static func returnLossEnhancement(microphone: [Int16], cleaned: [Int16], over range: Range<Int>) -> Double {
        func energy(_ samples: [Int16]) -> Double {
            samples[range].reduce(0.0) { $0 + Double($1) * Double($1) }
        }
        return 10 * log10(energy(microphone) / max(energy(cleaned), 1))
    }
}
