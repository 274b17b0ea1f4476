/// The value of an ERROR-CODE attribute (RFC 8489 §14.8): a code from 300 to 699 and a reason for
/// people.
public struct StunErrorCode: Hashable, Sendable, CustomStringConvertible {
    public let code: Int
    public let reason: String

    /// nil outside 300...699.
    public init?(code: Int, reason: String) {
        guard (300...699).contains(code) else { return nil }
        self.code = code
        self.reason = reason
    }

    public static let tryAlternate = 300
    public static let badRequest = 400
    public static let unauthorized = 401
    public static let forbidden = 403
    public static let allocationMismatch = 437
    public static let staleNonce = 438
    public static let connectionAlreadyExists = 446
    public static let wrongCredentials = 441
    public static let unsupportedTransport = 442
    public static let connectionTimeoutOrFailure = 447
    public static let allocationQuotaReached = 486
    public static let insufficientCapacity = 508

    public var description: String { "\(code) \(reason)" }
}
