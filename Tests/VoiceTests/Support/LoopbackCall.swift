import NIOCore
import Voice

/// Two media sessions on 127.0.0.1: the caller talks from `source`, the callee plays into
/// `sink`. The call lasts until the caller's source ends, or for `duration` when given (an ALSA
/// capture never ends).
struct LoopbackCall {
    var callerKey = MediaKey.random()
    var calleeKey: MediaKey?
    var callerConfiguration = MediaSessionConfiguration()
    /// Where the caller sends, instead of the callee's socket (a relay in between); given the
    /// callee's address and the caller's.
    var route: (@Sendable (SocketAddress, SocketAddress) async throws -> SocketAddress)?

    struct Result {
        let caller: MediaStatistics
        let callee: MediaStatistics
    }

    func run(
        source: sending any AudioSource, sink: sending any AudioSink, duration: Duration? = nil
    ) async throws -> Result {
        let callerSocket = try await MediaSocket.bind(host: "127.0.0.1")
        let calleeSocket = try await MediaSocket.bind(host: "127.0.0.1")
        var callerTarget = calleeSocket.localAddress
        var calleeTarget = callerSocket.localAddress
        if let route {
            callerTarget = try await route(calleeSocket.localAddress, callerSocket.localAddress)
            calleeTarget = callerTarget
        }
        let callee = try MediaSession(
            socket: calleeSocket, remote: calleeTarget, key: calleeKey ?? callerKey, role: .callee,
            source: SilentSource(), sink: sink)
        let caller = try MediaSession(
            socket: callerSocket, remote: callerTarget, key: callerKey, role: .caller,
            source: source, sink: DiscardingSink(), configuration: callerConfiguration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await callee.run() }
            group.addTask { try await caller.run() }
            if let duration {
                try await Task.sleep(for: duration)
            } else {
                while await !caller.statistics.sourceEnded { try await Task.sleep(for: .milliseconds(5)) }
            }
            group.cancelAll()
            try await group.waitForAll()
        }
        return Result(caller: await caller.statistics, callee: await callee.statistics)
    }
}
