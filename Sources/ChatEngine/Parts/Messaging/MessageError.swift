/// Why a message could not be sent; each says what to do about it. Group texts obey the same limits.
public enum MessageError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case tooLong(Int)

    public var description: String {
        switch self {
        case .empty: "the message is empty"
        case .tooLong(let limit): "the message is longer than \(limit) bytes"
        }
    }
}
