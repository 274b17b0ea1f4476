import ChatWire

extension ChatEngine {
    private var calls: CallsPart { parts.part(CallsPart.self) }

    /// Calls `friend` and returns once the call is answered, refused, busy or unanswered after
    /// the ring time; the media then runs until `hangUp()` or the peer hangs up.
    public func call(_ friend: String) async throws -> CallOutcome {
        _ = try requireSession()
        guard UserName.isValid(friend) else { throw EngineError.invalidUser(friend) }
        guard friend != user else { throw EngineError.yourself }
        guard try await store.contact(id: friend) != nil else { throw FriendError.notFriend(friend) }
        return try await calls.call(friend)
    }

    /// Answers the call that rings (from `caller`, when given).
    public func answerCall(from caller: String? = nil) async throws {
        _ = try requireSession()
        try await calls.answer(caller)
    }

    /// Declines the call that rings (from `caller`, when given).
    public func rejectCall(from caller: String? = nil) async throws {
        _ = try requireSession()
        try await calls.reject(caller)
    }

    /// Ends the call in progress (or stops ringing): sends `End` and waits a little for the peer's.
    public func hangUp() async throws {
        try await calls.hangUp()
    }

    /// Whether calls from now on clean a sound card's microphone of the peer's echo (`/set aec`).
    public func setEchoCancellation(_ on: Bool) async {
        await calls.setEchoCancellation(on)
    }

    /// The figures of the call in progress; also published as a `callStats` event unless told not to.
    @discardableResult
    public func callStatistics(publish: Bool = true) async throws -> CallStatistics {
        let statistics = try await calls.statistics()
        if publish { emit(.calls(.stats(statistics))) }
        return statistics
    }

    /// The call in progress or ringing, if any.
    public var currentCall: CallSummary? {
        get async { await calls.summary }
    }
}
