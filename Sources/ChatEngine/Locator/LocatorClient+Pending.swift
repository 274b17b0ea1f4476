import ChatWire

extension LocatorClient {
    /// A request written (or, in the course protocol, waiting to be written) whose answer has not
    /// arrived. The locator answers in order, so answers are matched to the oldest entry.
    struct Pending {
        enum Request {
            case modern(LocatorRequest)
            case course(LegacyRequest)

            /// The bytes on the wire. Never logged: a login carries the password.
            var line: String {
                switch self {
                case .modern(let request): request.rendered
                case .course(let request): request.rendered
                }
            }

            /// What the request is, for logs and error messages (without the password).
            var summary: String {
                switch self {
                case .modern(let request): request.verb
                case .course(.login): "course login"
                case .course(.query): "course query"
                case .course(.logout): "course logout"
                }
            }
        }

        let request: Request
        /// Unanswered for longer than this after being written, the connection counts as lost.
        let timeout: Duration
        /// Nil while a course request waits for the one before it to be answered.
        var writtenAt: ContinuousClock.Instant?
        /// Nil for a keep-alive, whose answer nobody awaits.
        let waiter: CheckedContinuation<Answer, any Swift.Error>?
    }

    /// The answer to a `Pending` request, already checked to fit it.
    enum Answer: Sendable {
        case modern(LocatorReply)
        case course(LegacyReply)
    }
}
