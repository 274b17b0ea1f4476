import ChatWire

/// Why the TURN relay did not do what was asked; each is one line for the user.
enum TurnError: Error, Equatable, CustomStringConvertible {
    /// The relay answered with an error: 401 for credentials it does not take (expired, or a
    /// secret that differs from the locator's), 403 for a peer it will not relay to, 486 for a
    /// quota.
    case refused(method: StunMethod, code: Int, reason: String)
    case noResponse(method: StunMethod)
    /// A response whose MESSAGE-INTEGRITY does not match our key: not from the relay we asked.
    case unauthenticResponse(method: StunMethod)
    case malformed(StunError)
    case missingAttribute(method: StunMethod, name: String)
    case closed
    case datagramTooLarge(Int)

    var description: String {
        switch self {
        case .refused(let method, let code, let reason):
            let reason = String(reason.unicodeScalars.filter { $0.properties.generalCategory != .control }.prefix(120))
            return code == StunErrorCode.unauthorized
                ? "the TURN relay refused the credentials (\(method): \(code) \(reason)); they may have expired"
                : "the TURN relay refused \(method): \(code) \(reason)"
        case .noResponse(let method): return "the TURN relay did not answer \(method)"
        case .unauthenticResponse(let method): return "a TURN \(method) response failed its integrity check"
        case .malformed(let error): return "the TURN relay sent something malformed: \(error)"
        case .missingAttribute(let method, let name): return "the TURN relay's \(method) response has no \(name)"
        case .closed: return "the connection to the TURN relay closed"
        case .datagramTooLarge(let count): return "a datagram of \(count) bytes is too large for the TURN relay (at most \(TurnClient.maxDatagram))"
        }
    }
}
