/// A reply of the course server's protocol, rendered byte for byte (no terminator).
public enum LegacyReply: Sendable, Hashable {
    case loggedIn
    /// The queried user's bare IPv4 address.
    case address(String)
    case offline
    case loggedOut
    /// The id is not on the roster.
    case incorrectNumber
    case malformed

    public var rendered: String {
        switch self {
        case .loggedIn: "lol"
        case .address(let address): address
        case .offline: "n"
        case .loggedOut: "loo"
        case .incorrectNumber: "Incorrect No."
        case .malformed: "Please send the correct message."
        }
    }

    /// Interprets what a course server answered to `request`; `nil` when it makes no sense.
    public init?(parsing raw: some StringProtocol, answering request: LegacyRequest) {
        let text = String(raw).trimmingTrailingNewline()
        switch text {
        case "Incorrect No.": self = .incorrectNumber
        case "Please send the correct message.": self = .malformed
        default:
            switch request {
            case .login: guard text == "lol" else { return nil }; self = .loggedIn
            case .logout: guard text == "loo" else { return nil }; self = .loggedOut
            case .query:
                if text == "n" {
                    self = .offline
                } else if IPv4Text.isValid(text) {
                    self = .address(text)
                } else {
                    return nil
                }
            }
        }
    }
}

extension String {
    func trimmingTrailingNewline() -> String {
        var text = Substring(self)
        // "\r\n" is a single Character in Swift.
        while text.last == "\n" || text.last == "\r" || text.last == "\r\n" { text = text.dropLast() }
        return String(text)
    }
}
