/// An audio endpoint as a user names it: an ALSA PCM name (`default`, `hw:1,0`, `plughw:0`) or
/// `file:PATH.wav`.
public enum AudioEndpoint: Sendable, Equatable, CustomStringConvertible {
    case alsa(device: String)
    case wavFile(path: String)

    public static let `default` = AudioEndpoint.alsa(device: "default")

    public init(spec: String) throws(AudioError) {
        if spec.hasPrefix("file:") {
            let path = String(spec.dropFirst("file:".count))
            guard !path.isEmpty else { throw .invalidSpec(spec) }
            self = .wavFile(path: path)
        } else {
            guard !spec.isEmpty, !spec.contains(where: { $0.isWhitespace || $0.isNewline }) else { throw .invalidSpec(spec) }
            self = .alsa(device: spec)
        }
    }

    public var description: String {
        switch self {
        case .alsa(let device): device
        case .wavFile(let path): "file:\(path)"
        }
    }

    /// Opens the endpoint for capture. A WAV file is read whole and converted to 48 kHz mono.
    /// An ALSA name is looked up in `alsaConfiguration` (alsa.conf syntax) when given.
    public func openSource(alsaConfiguration: String? = nil) throws(AudioError) -> any AudioSource {
        switch self {
        case .alsa(let device): try ALSASource(device: device, configuration: alsaConfiguration)
        case .wavFile(let path): try WAVFileSource(path: path)
        }
    }

    /// Opens the endpoint for playback. A WAV file is created (or replaced) now.
    public func openSink(alsaConfiguration: String? = nil) throws(AudioError) -> any AudioSink {
        switch self {
        case .alsa(let device): try ALSASink(device: device, configuration: alsaConfiguration)
        case .wavFile(let path): try WAVFileSink(path: path)
        }
    }
}
