/// Why a media session could not start or had to stop.
public enum MediaSessionError: Error, Equatable, CustomStringConvertible {
    case invalidKey(byteCount: Int)
    case bindFailed(String)
    case sequenceExhausted

    public var description: String {
        switch self {
        case .invalidKey(let count): "invalid media key: \(count) bytes, expected \(MediaKey.byteCount)"
        case .bindFailed(let reason): "cannot open a UDP port for the call: \(reason)"
        case .sequenceExhausted: "the call ran out of sequence numbers; call again"
        }
    }
}
