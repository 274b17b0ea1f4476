/// What can go wrong with an audio endpoint; each description is one line a user can act on.
public enum AudioError: Error, Equatable, CustomStringConvertible {
    case invalidSpec(String)
    case deviceUnavailable(device: String, direction: AudioDirection, reason: String)
    case deviceFailed(device: String, reason: String)
    case unreadableFile(path: String, reason: String)
    case unsupportedWAV(path: String, reason: String)
    case unwritableFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidSpec(let spec):
            "invalid audio endpoint '\(spec)': use an ALSA device name (e.g. default) or file:PATH.wav"
        case .deviceUnavailable(let device, let direction, let reason):
            "cannot open ALSA device '\(device)' for \(direction): \(reason); without a sound card use --audio-\(direction == .capture ? "in" : "out") file:PATH.wav"
        case .deviceFailed(let device, let reason):
            "ALSA device '\(device)' failed: \(reason)"
        case .unreadableFile(let path, let reason):
            "cannot read WAV file \(path): \(reason)"
        case .unsupportedWAV(let path, let reason):
            "unsupported WAV file \(path): \(reason); convert it with: sox IN.wav -r 48000 -c 1 -b 16 OUT.wav"
        case .unwritableFile(let path, let reason):
            "cannot write WAV file \(path): \(reason)"
        }
    }
}

/// Which way audio flows through a device.
public enum AudioDirection: String, Sendable, CustomStringConvertible {
    case capture
    case playback

    public var description: String { rawValue }
}
