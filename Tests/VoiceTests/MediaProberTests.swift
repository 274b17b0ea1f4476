import NIOCore
import Testing
import Voice

/// The probes that find a call's media path: both sides probe at once and each confirms the
/// address the other answered from; nobody without the call's key confirms anything.
@Suite(.timeLimit(.minutes(1)))
struct MediaProberTests {
    @Test("two sides probing each other at once both confirm the live address, not a dead one listed first")
    func bothSidesConfirm() async throws {
        let caller = try await MediaSocket.bind(host: "127.0.0.1")
        let callee = try await MediaSocket.bind(host: "127.0.0.1")
        let dead = try await MediaSocket.bind(host: "127.0.0.1")
        let deadAddress = dead.localAddress
        await dead.close()
        let key = MediaKey.random()
        let (fromCaller, fromCallee) = await Self.probe(
            (caller, key, [deadAddress, callee.localAddress]), (callee, key, [caller.localAddress]), within: .seconds(5))
        #expect(fromCaller == callee.localAddress)
        #expect(fromCallee == caller.localAddress)
        await caller.close()
        await callee.close()
    }

    @Test("a side that holds another key answers nothing this side can open: no path is confirmed")
    func strangerConfirmsNothing() async throws {
        let caller = try await MediaSocket.bind(host: "127.0.0.1")
        let stranger = try await MediaSocket.bind(host: "127.0.0.1")
        let (fromCaller, fromStranger) = await Self.probe(
            (caller, MediaKey.random(), [stranger.localAddress]), (stranger, MediaKey.random(), [caller.localAddress]),
            within: .milliseconds(400))
        #expect(fromCaller == nil)
        #expect(fromStranger == nil)
        await caller.close()
        await stranger.close()
    }

    @Test("a side whose media already started still answers the other side's probes, which then confirm it")
    func aRunningSessionAnswersLateProbes() async throws {
        let caller = try await MediaSocket.bind(host: "127.0.0.1")
        let callee = try await MediaSocket.bind(host: "127.0.0.1")
        let key = MediaKey.random()
        let session = try MediaSession(
            socket: callee, route: .socket(to: caller.localAddress), key: key, role: .callee, source: SilentSource(), sink: DiscardingSink())
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await session.run() }
            let prober = MediaProber(socket: caller, key: key, role: .caller, targets: [callee.localAddress])
            #expect(await prober.confirm(within: .seconds(5)) == callee.localAddress)
            session.stop()
            try await group.waitForAll()
        }
        await caller.close()
    }

    /// What a caller's and a callee's probers, each on its socket under its key, confirm when
    /// they probe their targets at the same time.
    private static func probe(
        _ caller: (MediaSocket, MediaKey, [SocketAddress]), _ callee: (MediaSocket, MediaKey, [SocketAddress]), within timeout: Duration
    ) async -> (SocketAddress?, SocketAddress?) {
        let callerProber = MediaProber(socket: caller.0, key: caller.1, role: .caller, targets: caller.2)
        let calleeProber = MediaProber(socket: callee.0, key: callee.1, role: .callee, targets: callee.2)
        async let fromCaller = callerProber.confirm(within: timeout)
        async let fromCallee = calleeProber.confirm(within: timeout)
        return await (fromCaller, fromCallee)
    }
}
