/// Calls.
extension CommandSpec {
    static let callCommands: [CommandSpec] = [call, answer, hangup]

    public static let call = CommandSpec(
        name: "call", arguments: "[ID]",
        summary: "call the friend ID, or show how the call goes",
        help: """
            Calls the friend ID: ID's side rings for at most 30 seconds. ID answers with /answer or \
            declines with /reject; a friend already in a call answers busy. Calling the friend whose \
            call rings here answers it, and two friends who call each other at once get one call. \
            Audio is Opus over \
            encrypted UDP, from --audio-in to --audio-out (a sound card, or file:PATH.wav). In a \
            script /call returns once the call is answered, rejected or unanswered. The audio \
            takes the best path both sides confirm: the LAN, direct, punched (a hole in a NAT that \
            both sides' probes opened) or, when no hole opens within a second, relayed through the \
            locator's TURN relay. During a call, /call alone shows its path, length, the kbit/s each \
            way, loss, jitter, round-trip time and jitter-buffer depth. Example: /call bob
            """,
        completion: [.friend], maximumArguments: 1,
        action: .run({ words in words.optional(0) }) { session, peer in try await session.call(peer) })

    public static let answer = CommandSpec(
        name: "answer", arguments: "[ID]",
        summary: "answer the call that rings",
        help: """
            Answers the call that rings (from ID, when given): audio flows both ways until one side \
            hangs up with /hangup. Example: /answer alice
            """,
        completion: [.friend], maximumArguments: 1,
        action: .run({ words in words.optional(0) }) { session, peer in try await session.requireEngine().answerCall(from: peer) })

    public static let hangup = CommandSpec(
        name: "hangup",
        summary: "end the call, or stop calling",
        help: """
            Ends the call in progress: the other side is told (End) and its call ends too. While your \
            call still rings, stops it. Example: /hangup
            """,
        action: .run { session in try await session.requireEngine().hangUp() })
}
