/// Why `/away` could not be set.
public enum AwayError: Error, Sendable, Equatable, CustomStringConvertible {
    case reasonTooLong(Int)

    public var description: String {
        switch self {
        case .reasonTooLong(let limit): "the away reason is longer than \(limit) bytes"
        }
    }
}
