@preconcurrency import CSpeexDSP

/// Takes the far end's voice out of the microphone: speexdsp's adaptive echo canceller (MDF)
/// learns how the speaker's sound comes back into the microphone, subtracts it, and its
/// preprocessor then suppresses the echo that is left and steady background noise.
///
/// Owns both C states and frees them with itself. Not thread-safe: the media session calls it
/// from its one media thread, under its lock.
public final class EchoCanceller {
    /// How long an echo the canceller can model: the speaker-to-microphone delay (device buffers
    /// on both sides) plus the room's reverberation.
    public static let defaultTail = Duration.milliseconds(200)

    private let echo: OpaquePointer
    private let preprocessor: OpaquePointer
    /// Frames handed to the speaker and not yet used as a reference, oldest first. Each captured
    /// frame is cleaned against the next one, so the canceller's history advances one frame per
    /// frame even when the media clock catches up on a few captures or playouts at once. Echo
    /// comes back later than its frame was handed to the speaker, so the reference leads it.
    private var references: [[Int16]] = []
    private static let maximumReferences = 4

    /// - Parameters:
    ///   - tail: see `defaultTail`.
    ///   - suppressNoise: also take out steady noise (fans, hum) that is not echo.
    public init(tail: Duration = defaultTail, suppressNoise: Bool = true) {
        let frame = Int32(AudioFrame.samples)
        let tailSamples = Int32(tail / AudioFrame.duration * Double(AudioFrame.samples))
        // Both only fail to allocate memory, which Swift would not survive either.
        echo = speex_echo_state_init(frame, max(frame, tailSamples))!
        preprocessor = speex_preprocess_state_init(frame, Int32(AudioFrame.sampleRate))!
        _ = p2p_speex_echo_set_sampling_rate(echo, Int32(AudioFrame.sampleRate))
        _ = p2p_speex_preprocess_set_echo_state(preprocessor, echo)
        _ = p2p_speex_preprocess_set_int(preprocessor, SPEEX_PREPROCESS_SET_DENOISE, suppressNoise ? 1 : 0)
    }

    deinit {
        speex_preprocess_state_destroy(preprocessor)
        speex_echo_state_destroy(echo)
    }

    /// Tells the canceller what was just handed to the speaker.
    public func played(_ frame: [Int16]) {
        precondition(frame.count == AudioFrame.samples, "a frame is \(AudioFrame.samples) samples")
        if references.count == Self.maximumReferences { references.removeFirst() }
        references.append(frame)
    }

    /// The microphone's frame with the echo of what was played taken out.
    public func clean(_ captured: [Int16]) -> [Int16] {
        precondition(captured.count == AudioFrame.samples, "a frame is \(AudioFrame.samples) samples")
        let reference = references.isEmpty ? AudioFrame.silence : references.removeFirst()
        var cleaned = AudioFrame.silence
        speex_echo_cancellation(echo, captured, reference, &cleaned)
        cleaned.withUnsafeMutableBufferPointer { _ = speex_preprocess_run(preprocessor, $0.baseAddress) }
        return cleaned
    }
}
