import ChatWire

extension ChatEngine {
    private var away: AwayPart { parts.part(AwayPart.self) }

    /// Marks this user away with `reason`, or back with nil; friends online are told now, the
    /// others when they next connect.
    public func setAway(_ reason: String?) async throws {
        _ = try requireSession()
        let reason = reason.flatMap { $0.isEmpty ? nil : $0 }
        if let reason, reason.utf8.count > Limits.maxAwayReason {
            throw AwayError.reasonTooLong(Limits.maxAwayReason)
        }
        await away.setAway(reason)
    }

    /// This user's away reason, nil when not away.
    public var awayReason: String? {
        get async { await away.reason }
    }

    /// What `friend` said when going away, nil when they are not (or not known to be).
    func awayReason(of friend: String) async -> String? {
        await away.reason(of: friend)
    }
}
