import ChatWire

/// A resumption token the client holds: spent by `RESUME` on the next login after a lost
/// connection, renewed with `TOKEN` once `renewAt` has passed (half its lifetime).
struct HeldResumeToken: Sendable {
    let token: ResumeToken
    var renewAt: ContinuousClock.Instant

    /// From the details of `OK TOKEN <token> <seconds>`; nil when they are not that.
    init?(details: [String], receivedAt now: ContinuousClock.Instant = .now) {
        guard details.count == 2, let token = ResumeToken(text: details[0]), let seconds = Int(details[1]), seconds >= 0 else {
            return nil
        }
        self.token = token
        renewAt = now + .seconds(seconds) / 2
    }
}
