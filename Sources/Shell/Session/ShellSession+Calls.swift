import ChatEngine

extension ShellSession {
    /// `/call ID` rings ID; `/call` alone during a call shows how it goes.
    func call(_ peer: String?) async throws {
        let engine = try requireEngine()
        guard let peer else {
            show(.event(.calls(.stats(try await engine.callStatistics(publish: false)))))
            return
        }
        guard options.callsInBackground else {
            if try await engine.call(peer) == .answered { show(.info("\(peer) answered")) }
            return
        }
        // At a terminal the prompt stays usable while it rings; the events tell how it ends.
        // Ends when the call is answered, refused or unanswered (the engine's ring timeout), or
        // when the engine logs out, which ends every call.
        Task { [weak self] in
            do {
                _ = try await engine.call(peer)
            } catch {
                await self?.show(.error("\(error)"))
            }
        }
    }

    /// `/reject` declines the call that rings (from ID, when given); otherwise `/reject ID` deletes
    /// ID's friend request.
    func reject(_ peer: String?) async throws {
        let engine = try requireEngine()
        if let call = await engine.currentCall, call.phase == .ringing, peer == nil || peer == call.peer {
            try await engine.rejectCall(from: call.peer)
            return
        }
        guard let peer else { throw CommandFailure("nobody is calling: /reject ID deletes the friend request from ID") }
        try await engine.rejectFriend(peer)
        await refreshFriends()
        show(.info("deleted the friend request from \(peer)"))
    }
}
