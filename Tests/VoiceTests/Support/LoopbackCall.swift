import Foundation
import NIOCore
import Voice

/// Two media sessions on 127.0.0.1: the caller talks from `source`, the callee plays into
/// `sink`. The call lasts until the caller's source ends, or for `duration` when given (an ALSA
/// capture never ends), counted in the frames the caller has sent.
struct LoopbackCall {
    var callerKey = MediaKey.random()
    var calleeKey: MediaKey?
    var callerConfiguration = MediaSessionConfiguration()
    var calleeConfiguration = MediaSessionConfiguration()
    /// Where the caller sends, instead of the callee's socket (a relay in between); given the
    /// callee's address and the caller's.
    var route: (@Sendable (SocketAddress, SocketAddress) async throws -> SocketAddress)?

    struct Result {
        let caller: MediaStatistics
        let callee: MediaStatistics
    }

    /// `calleeSource` is what the callee says back (silence when nil); `callerSink` is where
    /// the caller hears it (nowhere when nil).
    func run(
        source: sending any AudioSource, sink: sending any AudioSink, duration: Duration? = nil,
        calleeSource: sending (any AudioSource)? = nil, callerSink: sending (any AudioSink)? = nil
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
            socket: calleeSocket, route: .socket(to: calleeTarget), key: calleeKey ?? callerKey, role: .callee,
            source: calleeSource ?? SilentSource(), sink: sink, configuration: calleeConfiguration)
        let caller = try MediaSession(
            socket: callerSocket, route: .socket(to: callerTarget), key: callerKey, role: .caller,
            source: source, sink: callerSink ?? DiscardingSink(), configuration: callerConfiguration)
        // The call is hung up from a thread of its own, on time however busy the test run keeps
        // the shared task pool (a late hang-up would make the callee's file too long).
        let hangUp = Thread {
            if let duration {
                let frames = Int(duration / AudioFrame.duration)
                while caller.statistics.framesSent < frames { Thread.sleep(forTimeInterval: 0.002) }
            } else {
                while !caller.statistics.sourceEnded { Thread.sleep(forTimeInterval: 0.002) }
            }
            caller.stop()
            // The caller's last datagrams are still on their way: the callee stops once it has
            // them all (received, or rejected, or dropped by an impairment), or after a second.
            let patience = Date(timeIntervalSinceNow: 1)
            while Date() < patience {
                let sent = caller.statistics, heard = callee.statistics
                if heard.framesReceived + heard.datagramsRejected + sent.datagramsDropped >= sent.framesSent { break }
                Thread.sleep(forTimeInterval: 0.002)
            }
            callee.stop()
        }
        hangUp.start()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await callee.run() }
            group.addTask { try await caller.run() }
            try await group.waitForAll()
        }
        return Result(caller: caller.statistics, callee: callee.statistics)
    }
}
