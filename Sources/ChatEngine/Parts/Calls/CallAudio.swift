import Synchronization
import Voice

/// A call's microphone and speaker, opened when the call is placed or answered (so that a
/// missing device is an error then, and a WAV file is read before the media starts), and
/// handed once to the media session.
final class CallAudio: Sendable {
    private let source: Mutex<(any AudioSource)?>
    private let sink: Mutex<(any AudioSink)?>
    /// Whether the source is a sound card's microphone, which hears the speaker beside it: only
    /// then is there an echo to cancel (not from a file, nor from the echo peer's loop, whose
    /// "microphone" is what it plays).
    let capturesFromSoundCard: Bool

    private init(source: sending any AudioSource, sink: sending any AudioSink, capturesFromSoundCard: Bool) {
        self.source = Mutex(source)
        self.sink = Mutex(sink)
        self.capturesFromSoundCard = capturesFromSoundCard
    }

    /// The endpoints the configuration names, or a loop from speaker to microphone (the echo peer).
    static func open(_ configuration: EngineConfiguration) throws(CallError) -> CallAudio {
        let settings = configuration.parts.calls
        if settings.echoesCallAudio {
            let loop = AudioLoop()
            return CallAudio(source: loop.source, sink: loop.sink, capturesFromSoundCard: false)
        }
        do {
            let input = try AudioEndpoint(spec: settings.audioIn)
            let source = try input.openSource(alsaConfiguration: settings.alsaConfiguration)
            let sink = try AudioEndpoint(spec: settings.audioOut).openSink(alsaConfiguration: settings.alsaConfiguration)
            let soundCard = if case .alsa = input { true } else { false }
            return CallAudio(source: source, sink: sink, capturesFromSoundCard: soundCard)
        } catch {
            throw .audio("\(error)")
        }
    }

    /// The source, once; nil when already taken.
    func takeSource() -> sending (any AudioSource)? {
        source.withLock { source in
            defer { source = nil }
            return source
        }
    }

    func takeSink() -> sending (any AudioSink)? {
        sink.withLock { sink in
            defer { sink = nil }
            return sink
        }
    }
}
